"""Alembic migration environment for the notes service."""

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from notes import models  # noqa: F401  (registers the tables on Base.metadata)
from notes.config import DATABASE_URL_ENV, DEFAULT_DATABASE_URL
from notes.db import Base

# The Alembic Config object, which provides access to the values within the .ini file.
config = context.config

# Interpret the config file for Python logging. Callers that manage logging themselves
# (e.g. the test-suite) can opt out with ``cfg.attributes["configure_logger"] = False``.
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# The models' MetaData, used for 'autogenerate' and 'alembic check'.
target_metadata = Base.metadata

# An explicitly configured sqlalchemy.url wins; the environment is only a fallback.
if not config.get_main_option("sqlalchemy.url"):
    config.set_main_option(
        "sqlalchemy.url", os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    )


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode, emitting SQL without a live connection."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode against an Engine built from the config."""
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
