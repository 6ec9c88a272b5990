"""Flask-Migrate in the runner: the app found the way ``flask`` finds it, its Flask-SQLAlchemy
database replaced before any engine exists, and Flask-Migrate's own Alembic configuration."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

URI = "SQLALCHEMY_DATABASE_URI"


class NotAFlaskMigrateApp(Exception):
    """The app was found but Flask-Migrate is not initialised on it."""


class FlaskMigrateApp:
    """The project's Flask app with its database pointed at ``url``, and its migrations folder."""

    def __init__(self, migrations: Path, url: str) -> None:
        self.migrations = migrations
        self.url = url
        self.configured: str | None = None  # the URI the app had before it was replaced
        self.app = self._load()

    @contextlib.contextmanager
    def context(self) -> Iterator[Any]:
        """Inside the app context: Flask-Migrate's Alembic config for the migrations folder."""
        with self.app.app_context():
            found = self.app.extensions.get("migrate")
            if found is None:
                raise NotAFlaskMigrateApp(
                    f"the Flask app {self.app.import_name!r} does not initialise Flask-Migrate "
                    "(Migrate(app, db) or migrate.init_app(app, db))"
                )
            yield found.migrate.get_config(str(self.migrations))

    def fresh(self) -> None:
        """Start again on an empty throwaway file: the app's engines keep their URL."""
        with self.app.app_context():
            database = self.app.extensions["migrate"].db
            engines = getattr(database, "engines", None)  # Flask-SQLAlchemy 3
            for engine in engines.values() if engines else [database.engine]:
                engine.dispose()
        Path(self.url.split(":///", 1)[1]).unlink(missing_ok=True)

    def _load(self) -> Any:
        from flask import cli

        self._point_flask_sqlalchemy_here()
        if cli.get_load_dotenv():
            cli.load_dotenv()  # .flaskenv and .env, as the flask command reads them
        found = cli.ScriptInfo(app_import_path=os.environ.get("FLASK_APP"), set_debug_flag=False)
        app = found.load_app()  # FLASK_APP, else wsgi.py or app.py: an app or a create_app()
        if self.configured is None:
            self.configured = app.config.get(URI)
        app.config[URI] = self.url  # Flask-SQLAlchemy 2 makes its engine on first use
        return app

    def _point_flask_sqlalchemy_here(self) -> None:
        """Every ``db.init_app(app)`` (and ``SQLAlchemy(app)``) sees ``url`` as the app's database:
        Flask-SQLAlchemy 3 creates the engines there, before the app is returned."""
        try:
            from flask_sqlalchemy import SQLAlchemy
        except ImportError:  # Flask-Migrate needs it; the app's import says so if it is missing
            return
        original = SQLAlchemy.init_app
        runner = self

        def init_app(self: Any, app: Any, *args: Any, **kwargs: Any) -> Any:
            if runner.configured is None:
                runner.configured = app.config.get(URI)
            app.config[URI] = runner.url
            return original(self, app, *args, **kwargs)

        SQLAlchemy.init_app = init_app  # type: ignore[method-assign]
