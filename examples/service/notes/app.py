"""Flask application factory and HTTP views for the notes service."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request, url_for
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from notes import services
from notes.config import load_settings
from notes.db import Database, create_database

logger = logging.getLogger(__name__)

EXTENSION_KEY = "notes_db"

bp = Blueprint("notes", __name__)


def create_app(database_url: str | None = None) -> Flask:
    """Create the Flask app; ``database_url`` overrides ``NOTES_DATABASE_URL``."""
    settings = load_settings()
    logging.getLogger("notes").setLevel(settings.log_level)
    app = Flask(__name__)
    app.extensions[EXTENSION_KEY] = create_database(database_url or settings.database_url)
    app.teardown_appcontext(_close_session)
    app.register_blueprint(bp)
    _register_error_handlers(app)
    return app


def get_database(app: Flask) -> Database:
    """Return the ``Database`` bound to ``app``."""
    database: Database = app.extensions[EXTENSION_KEY]
    return database


def get_session() -> Session:
    """Return the session for the current app context, opening it on first use."""
    if "db_session" not in g:
        g.db_session = get_database(current_app).session_factory()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@bp.get("/health")
def health() -> Response:
    """Liveness probe."""
    return jsonify(status="ok")


@bp.get("/notes")
def list_notes() -> Response:
    """List notes, optionally filtered with ``?tag=``."""
    tag = request.args.get("tag") or None
    notes = services.list_notes(get_session(), tag=tag)
    return jsonify(notes=[services.note_to_dict(note) for note in notes])


@bp.post("/notes")
def create_note() -> tuple[Response, int, dict[str, str]]:
    """Create a note from a JSON body."""
    data = services.parse_note_payload(request.get_json(silent=True))
    note = services.create_note(get_session(), data)
    location = url_for(".get_note", note_id=note.id)
    return jsonify(services.note_to_dict(note)), 201, {"Location": location}


@bp.get("/notes/<int:note_id>")
def get_note(note_id: int) -> Response:
    """Return one note."""
    note = services.get_note(get_session(), note_id)
    return jsonify(services.note_to_dict(note))


@bp.delete("/notes/<int:note_id>")
def delete_note(note_id: int) -> tuple[str, int]:
    """Delete one note."""
    services.delete_note(get_session(), note_id)
    return "", 204


def _register_error_handlers(app: Flask) -> None:
    app.register_error_handler(services.ValidationError, _handle_validation_error)
    app.register_error_handler(services.NoteNotFoundError, _handle_not_found)
    app.register_error_handler(services.NoteStorageError, _handle_storage_error)
    app.register_error_handler(HTTPException, _handle_http_error)


def _handle_validation_error(exc: services.ValidationError) -> tuple[Response, int]:
    logger.warning("Rejected note payload: %s", exc)
    return jsonify(error=str(exc)), 400


def _handle_not_found(exc: services.NoteNotFoundError) -> tuple[Response, int]:
    logger.warning("Note lookup failed: %s", exc)
    return jsonify(error=str(exc)), 404


def _handle_storage_error(exc: services.NoteStorageError) -> tuple[Response, int]:
    logger.warning("Storage error while handling %s %s: %s", request.method, request.path, exc)
    return jsonify(error="storage unavailable, please retry"), 503


def _handle_http_error(exc: HTTPException) -> tuple[Response, int]:
    logger.warning("HTTP error %s on %s %s", exc.code, request.method, request.path)
    return jsonify(error=exc.description), exc.code or 500
