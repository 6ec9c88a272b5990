"""Database engine, session factory and declarative base."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, MetaData, create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by all models; its metadata drives Alembic autogenerate."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@dataclass(frozen=True)
class Database:
    """An engine plus the session factory bound to it (one per Flask app)."""

    engine: Engine
    session_factory: sessionmaker[Session]

    def dispose(self) -> None:
        """Close all pooled connections held by the engine."""
        self.engine.dispose()


def create_database(url: str) -> Database:
    """Create an engine and a session factory for ``url``."""
    engine = create_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    return Database(engine=engine, session_factory=factory)
