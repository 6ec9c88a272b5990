"""Response times of the read endpoints, timed call by call for the agent's p95 budget."""

from __future__ import annotations

from flask.testing import FlaskClient

ROUNDS = 50  # each round times one request: the p95 is over single calls, not averages


def test_list_notes_response_time(benchmark, client: FlaskClient) -> None:
    for number in range(20):
        client.post("/notes", json={"title": f"note {number}"})
    response = benchmark.pedantic(client.get, args=("/notes",), rounds=ROUNDS, iterations=1)
    assert response.status_code == 200
    assert len(response.get_json()["notes"]) == 20


def test_get_note_response_time(benchmark, client: FlaskClient) -> None:
    note_id = client.post("/notes", json={"title": "timed"}).get_json()["id"]
    response = benchmark.pedantic(
        client.get, args=(f"/notes/{note_id}",), rounds=ROUNDS, iterations=1
    )
    assert response.status_code == 200
