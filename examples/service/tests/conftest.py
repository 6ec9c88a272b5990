"""Shared fixtures: a Flask app and a SQLAlchemy session on a temporary SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from notes.app import create_app, get_database
from notes.db import Base, create_database


def sqlite_url(path: Path) -> str:
    """Return a SQLAlchemy URL for a SQLite file at ``path``."""
    return f"sqlite:///{path}"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """A notes app whose schema is created with ``Base.metadata.create_all``."""
    flask_app = create_app(sqlite_url(tmp_path / "api.db"))
    flask_app.config.update(TESTING=True)
    database = get_database(flask_app)
    Base.metadata.create_all(database.engine)
    yield flask_app
    database.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A Flask test client for ``app``."""
    return app.test_client()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A standalone session for exercising the service layer directly."""
    database = create_database(sqlite_url(tmp_path / "services.db"))
    Base.metadata.create_all(database.engine)
    with database.session_factory() as db_session:
        yield db_session
    database.dispose()
