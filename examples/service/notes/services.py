"""Business logic for notes: payload validation, persistence and serialisation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from notes.models import TAG_MAX_LENGTH, TITLE_MAX_LENGTH, Note

logger = logging.getLogger(__name__)


class ValidationError(ValueError):
    """Raised when a note payload is malformed."""


class NoteNotFoundError(LookupError):
    """Raised when a note with the requested id does not exist."""

    def __init__(self, note_id: int) -> None:
        super().__init__(f"note {note_id} not found")
        self.note_id = note_id


class NoteStorageError(RuntimeError):
    """Raised when the database rejects a write."""


@dataclass(frozen=True)
class NoteInput:
    """Validated data needed to create a note."""

    title: str
    body: str = ""
    tag: str | None = None


def parse_note_payload(payload: object) -> NoteInput:
    """Validate a decoded JSON payload and turn it into a ``NoteInput``."""
    if not isinstance(payload, dict):
        raise ValidationError("request body must be a JSON object")
    return NoteInput(
        title=_parse_title(payload.get("title")),
        body=_parse_body(payload.get("body")),
        tag=_parse_tag(payload.get("tag")),
    )


def _parse_title(value: object) -> str:
    if value is None:
        raise ValidationError("title is required")
    if not isinstance(value, str):
        raise ValidationError("title must be a string")
    title = value.strip()
    if not title:
        raise ValidationError("title must not be empty")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(f"title must be at most {TITLE_MAX_LENGTH} characters")
    return title


def _parse_body(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("body must be a string")
    return value


def _parse_tag(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("tag must be a string")
    tag = value.strip()
    if len(tag) > TAG_MAX_LENGTH:
        raise ValidationError(f"tag must be at most {TAG_MAX_LENGTH} characters")
    return tag or None


def create_note(session: Session, data: NoteInput) -> Note:
    """Persist a new note and return it."""
    note = Note(title=data.title, body=data.body, tag=data.tag)
    session.add(note)
    _commit(session, "create")
    logger.info("Created note %s", note.id)
    return note


def list_notes(session: Session, tag: str | None = None) -> list[Note]:
    """Return all notes ordered by id, optionally only those with ``tag``."""
    query = select(Note).order_by(Note.id)
    if tag is not None:
        query = query.where(Note.tag == tag)
    return list(session.scalars(query))


def get_note(session: Session, note_id: int) -> Note:
    """Return the note with ``note_id`` or raise ``NoteNotFoundError``."""
    note = session.get(Note, note_id)
    if note is None:
        raise NoteNotFoundError(note_id)
    return note


def delete_note(session: Session, note_id: int) -> None:
    """Delete the note with ``note_id`` or raise ``NoteNotFoundError``."""
    note = get_note(session, note_id)
    session.delete(note)
    _commit(session, "delete")
    logger.info("Deleted note %s", note_id)


def note_to_dict(note: Note) -> dict[str, Any]:
    """Serialise a note into a JSON-compatible dict."""
    created_at = note.created_at
    if created_at.tzinfo is None:
        # SQLite does not store offsets; values are always written in UTC.
        created_at = created_at.replace(tzinfo=timezone.utc)
    return {
        "id": note.id,
        "title": note.title,
        "body": note.body,
        "tag": note.tag,
        "created_at": created_at.isoformat(),
    }


def _commit(session: Session, action: str) -> None:
    try:
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        logger.exception("Failed to %s note", action)
        raise NoteStorageError(f"could not {action} note") from exc
