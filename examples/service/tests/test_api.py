"""HTTP-level tests for every endpoint of the notes service."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from notes.app import create_app, get_database, get_session


def _create(client: FlaskClient, **payload: object) -> dict[str, object]:
    response = client.post("/notes", json=payload)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert isinstance(body, dict)
    return body


def test_health(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_list_notes_empty(client: FlaskClient) -> None:
    response = client.get("/notes")
    assert response.status_code == 200
    assert response.get_json() == {"notes": []}


def test_create_note_returns_201_with_location(client: FlaskClient) -> None:
    response = client.post("/notes", json={"title": "  Groceries ", "body": "milk", "tag": "home"})
    assert response.status_code == 201
    note = response.get_json()
    assert note["title"] == "Groceries"
    assert note["body"] == "milk"
    assert note["tag"] == "home"
    assert isinstance(note["id"], int)
    assert datetime.fromisoformat(note["created_at"]).tzinfo is not None
    assert response.headers["Location"] == f"/notes/{note['id']}"


def test_create_note_defaults(client: FlaskClient) -> None:
    note = _create(client, title="Only a title")
    assert note["body"] == ""
    assert note["tag"] is None


def test_list_notes_in_creation_order_and_by_tag(client: FlaskClient) -> None:
    first = _create(client, title="first", tag="work")
    second = _create(client, title="second")
    third = _create(client, title="third", tag="work")

    all_ids = [n["id"] for n in client.get("/notes").get_json()["notes"]]
    assert all_ids == [first["id"], second["id"], third["id"]]

    tagged = client.get("/notes", query_string={"tag": "work"}).get_json()["notes"]
    assert [n["id"] for n in tagged] == [first["id"], third["id"]]


def test_get_note(client: FlaskClient) -> None:
    created = _create(client, title="Read me", body="hello")
    response = client.get(f"/notes/{created['id']}")
    assert response.status_code == 200
    assert response.get_json() == created


def test_get_missing_note_returns_404(client: FlaskClient) -> None:
    response = client.get("/notes/999")
    assert response.status_code == 404
    assert response.get_json() == {"error": "note 999 not found"}


def test_delete_note(client: FlaskClient) -> None:
    created = _create(client, title="Delete me")
    response = client.delete(f"/notes/{created['id']}")
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(f"/notes/{created['id']}").status_code == 404


def test_delete_missing_note_returns_404(client: FlaskClient) -> None:
    response = client.delete("/notes/12345")
    assert response.status_code == 404
    assert response.get_json() == {"error": "note 12345 not found"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "title is required"),
        ({"title": None}, "title is required"),
        ({"title": ""}, "title must not be empty"),
        ({"title": "   "}, "title must not be empty"),
        ({"title": 42}, "title must be a string"),
        ({"title": "x" * 201}, "title must be at most 200 characters"),
        ({"title": "ok", "body": ["not", "text"]}, "body must be a string"),
        ({"title": "ok", "tag": 7}, "tag must be a string"),
        ({"title": "ok", "tag": "t" * 51}, "tag must be at most 50 characters"),
        (["title"], "request body must be a JSON object"),
    ],
)
def test_create_note_rejects_invalid_json(
    client: FlaskClient, payload: object, message: str
) -> None:
    response = client.post("/notes", json=payload)
    assert response.status_code == 400
    assert response.get_json() == {"error": message}
    assert client.get("/notes").get_json() == {"notes": []}


def test_create_note_accepts_title_of_max_length(client: FlaskClient) -> None:
    assert _create(client, title="x" * 200)["title"] == "x" * 200


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("{not json", "application/json"), ("title=hi", "application/x-www-form-urlencoded")],
)
def test_create_note_rejects_non_json_body(
    client: FlaskClient, data: str, content_type: str
) -> None:
    response = client.post("/notes", data=data, content_type=content_type)
    assert response.status_code == 400
    assert response.get_json() == {"error": "request body must be a JSON object"}


def test_invalid_payload_is_logged(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="notes"):
        client.post("/notes", json={"title": ""})
    assert "Rejected note payload: title must not be empty" in caplog.text


def test_unknown_route_returns_json_404(client: FlaskClient) -> None:
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_wrong_method_returns_json_405(client: FlaskClient) -> None:
    response = client.put("/notes/1", json={"title": "x"})
    assert response.status_code == 405
    assert "error" in response.get_json()


def test_storage_failure_returns_503(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_commit(self: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(Session, "commit", broken_commit)
    with caplog.at_level(logging.WARNING, logger="notes"):
        response = client.post("/notes", json={"title": "lost"})
    assert response.status_code == 503
    assert response.get_json() == {"error": "storage unavailable, please retry"}
    assert "Failed to create note" in caplog.text
    monkeypatch.undo()
    assert client.get("/notes").get_json() == {"notes": []}


def test_session_is_closed_after_request(app: Flask, client: FlaskClient) -> None:
    assert client.get("/notes").status_code == 200
    assert get_database(app).engine.pool.checkedout() == 0


def test_create_app_reads_database_url_from_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("NOTES_DATABASE_URL", url)
    app = create_app()
    database = get_database(app)
    try:
        assert str(database.engine.url) == url
    finally:
        database.dispose()


def test_get_session_is_reused_within_app_context(app: Flask) -> None:
    with app.app_context():
        assert get_session() is get_session()
    assert get_database(app).engine.pool.checkedout() == 0
