"""Text people write is refused when it carries control characters or bidi overrides:
a 400 naming the field, in every name, title, detail and message body."""

import time
import uuid

import pytest

from graph.users import create_user
from tests.served import ServedWorker

REFUSED = ["\n", "\r", "\x00", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\u2028"]


def _field_of_400(response):
    assert response.status_code == 400, response.get_json()
    assert response.mimetype == "application/problem+json"
    return {error["field"] for error in response.get_json()["errors"]}


@pytest.fixture
def send_text(api, people):
    """Each field that takes people's text, as a function sending `text` in it."""
    maya, theo, eve = people
    kofi = api.create_producer("kofi")
    dm = api.start(maya, theo)
    service = api.service_headers()
    as_maya = api.headers_for(maya)
    requests = {
        "display_name": lambda text: api.client.post(
            "/api/v1/users",
            json={"username": "new_" + uuid.uuid4().hex[:8], "display_name": text},
            headers=service,
        ),
        "title": lambda text: api.client.post(
            "/api/v1/conversations",
            json={"participant_ids": [theo["id"], eve["id"]], "title": text},
            headers=as_maya,
        ),
        "name": lambda text: api.client.post(
            "/api/v1/producers",
            json={"slug": "p-" + uuid.uuid4().hex[:8], "name": text},
            headers=service,
        ),
        "patch.name": lambda text: api.client.patch(
            f"/api/v1/producers/{kofi['id']}", json={"name": text}, headers=service
        ),
        "beat.title": lambda text: api.client.post(
            f"/api/v1/producers/{kofi['id']}/uploads", json={"title": text}, headers=service
        ),
        "playlist_name": lambda text: api.client.post(
            "/api/v1/notifications/playlist-invites",
            json={
                "to_user_id": theo["id"],
                "from_user_id": maya["id"],
                "playlist_id": "pl-1",
                "playlist_name": text,
            },
            headers=service,
        ),
        "details": lambda text: api.client.post(
            f"/api/v1/users/{eve['id']}/reports",
            json={"reason": "spam", "details": text},
            headers=as_maya,
        ),
        "body": lambda text: api.client.post(
            f"/api/v1/conversations/{dm['id']}/messages",
            json={"client_id": uuid.uuid4().hex, "body": text},
            headers=as_maya,
        ),
    }
    return requests


@pytest.mark.parametrize("character", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_control_and_bidi_characters_are_refused_naming_the_field(send_text, character):
    """Every text field refuses C0/C1 controls, DEL and bidi overrides inside the text."""
    for name, send in send_text.items():
        if name == "body" and character in "\n\u2028":
            continue  # a message may span lines
        field = name.rpartition(".")[2]
        assert _field_of_400(send(f"Eve{character}Admin")) == {field}, name


def test_a_message_body_keeps_newlines_and_tabs(send_text, api, people):
    """Message bodies may span lines and hold tabs; the text is stored as written, trimmed."""
    response = send_text["body"]("first line\n\tindented\nlast\n")
    assert response.status_code == 201
    assert response.get_json()["body"] == "first line\n\tindented\nlast"


def test_ordinary_text_in_every_field_is_accepted(send_text):
    """Accents, emoji and right-to-left script are text, not control characters."""
    for name, send in send_text.items():
        response = send(" Ünïcødé 🎧 مرحبا ")
        assert response.status_code in (200, 201), (name, response.get_json())


def test_a_message_in_any_script_reads_back_as_written(api, people):
    """The page of messages is JSON in UTF-8 carrying the text exactly as it was sent."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    text = 'Ünïcødé 🎧 مرحبا "quoted" \\ back'
    api.send(maya, dm, text)
    response = api.client.get(
        f"/api/v1/conversations/{dm['id']}/messages", headers=api.headers_for(theo)
    )
    assert response.mimetype == "application/json"
    assert [message["body"] for message in response.get_json()["items"]] == [text]


def test_a_newline_in_a_stored_display_name_cannot_forge_a_worker_log_line(
    app, app_config, api, people, graph
):
    """A display name stored before this rule (so with a newline) is logged on one line:
    the worker's log escapes control characters instead of starting a forged line."""
    maya = people[0]
    forged = "FORGED INFO server.worker: all outbox entries dead"
    create_user(graph, user_id="u-legacy", username="legacy", display_name=f"Eve\n{forged}")
    worker = ServedWorker(app_config)
    try:
        api.follow({"id": "u-legacy"}, maya)  # maya gets an email and a push about it
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with open(worker.log.name) as handle:
                log = handle.read()
            if "followed you" in log:
                break
            time.sleep(0.1)
    finally:
        assert worker.stop() == 0
    assert "followed you" in log, log
    assert not any(line.startswith("FORGED") for line in log.splitlines()), log
    assert "Eve\\nFORGED" in log
