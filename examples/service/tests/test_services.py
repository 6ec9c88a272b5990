"""Unit tests for the notes business logic and configuration."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from notes import services
from notes.config import DEFAULT_DATABASE_URL, load_settings
from notes.models import Note, utcnow
from notes.services import NoteInput, NoteNotFoundError, NoteStorageError, ValidationError


def test_parse_note_payload_normalises_fields() -> None:
    data = services.parse_note_payload({"title": "  Title  ", "body": None, "tag": "  "})
    assert data == NoteInput(title="Title", body="", tag=None)


def test_parse_note_payload_keeps_body_verbatim_and_strips_tag() -> None:
    data = services.parse_note_payload({"title": "t", "body": "  spaced  ", "tag": " work "})
    assert data == NoteInput(title="t", body="  spaced  ", tag="work")


@pytest.mark.parametrize("payload", [None, "title", 3, ["title"]])
def test_parse_note_payload_requires_object(payload: object) -> None:
    with pytest.raises(ValidationError, match="JSON object"):
        services.parse_note_payload(payload)


def test_create_and_get_note(session: Session) -> None:
    note = services.create_note(session, NoteInput(title="Hello", body="World", tag="greet"))
    assert note.id is not None
    fetched = services.get_note(session, note.id)
    assert fetched is note
    assert (fetched.title, fetched.body, fetched.tag) == ("Hello", "World", "greet")
    assert fetched.created_at.tzinfo is timezone.utc


def test_list_notes_orders_by_id_and_filters_by_tag(session: Session) -> None:
    a = services.create_note(session, NoteInput(title="a", tag="x"))
    b = services.create_note(session, NoteInput(title="b"))
    c = services.create_note(session, NoteInput(title="c", tag="x"))
    assert services.list_notes(session) == [a, b, c]
    assert services.list_notes(session, tag="x") == [a, c]
    assert services.list_notes(session, tag="missing") == []


def test_get_missing_note_raises(session: Session) -> None:
    with pytest.raises(NoteNotFoundError, match="note 7 not found") as excinfo:
        services.get_note(session, 7)
    assert excinfo.value.note_id == 7


def test_delete_note(session: Session) -> None:
    note = services.create_note(session, NoteInput(title="bye"))
    services.delete_note(session, note.id)
    assert services.list_notes(session) == []
    with pytest.raises(NoteNotFoundError):
        services.delete_note(session, note.id)


def test_commit_failure_is_wrapped_and_rolled_back(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_commit() -> None:
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(session, "commit", broken_commit)
    with pytest.raises(NoteStorageError, match="could not create note") as excinfo:
        services.create_note(session, NoteInput(title="never saved"))
    assert isinstance(excinfo.value.__cause__, OperationalError)
    monkeypatch.undo()
    assert services.list_notes(session) == []


def test_note_to_dict_treats_naive_timestamps_as_utc() -> None:
    note = Note(id=1, title="t", body="b", tag=None, created_at=datetime(2024, 5, 1, 12, 0))
    assert services.note_to_dict(note) == {
        "id": 1,
        "title": "t",
        "body": "b",
        "tag": None,
        "created_at": "2024-05-01T12:00:00+00:00",
    }


def test_note_to_dict_keeps_aware_timestamps() -> None:
    stamp = utcnow()
    note = Note(id=2, title="t", body="", tag="x", created_at=stamp)
    assert services.note_to_dict(note)["created_at"] == stamp.isoformat()
    assert repr(note) == "Note(id=2, title='t')"


def test_load_settings_defaults() -> None:
    settings = load_settings({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.log_level == "INFO"


def test_load_settings_from_environment() -> None:
    settings = load_settings(
        {"NOTES_DATABASE_URL": "sqlite:////tmp/other.db", "NOTES_LOG_LEVEL": "debug"}
    )
    assert settings.database_url == "sqlite:////tmp/other.db"
    assert settings.log_level == "DEBUG"


def test_load_settings_ignores_blank_values() -> None:
    settings = load_settings({"NOTES_DATABASE_URL": "  ", "NOTES_LOG_LEVEL": ""})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.log_level == "INFO"
