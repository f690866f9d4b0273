"""The notification worker against the real graph: upload fan-out in batches, the
email/push outbox with retries, dead letters, crash recovery, and SMTP delivery."""

import json
import threading
import time
from email import message_from_string
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from notifications import delivery
from notifications.senders import DeliveryFailed, Outgoing, SmtpSender
from notifications.worker import NotificationWorker
from tests.served import free_port


class Recorder:
    """A sender that keeps what it was given (and can be told to fail)."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.failing = False

    def send(self, message: Outgoing) -> None:
        if self.failing:
            raise DeliveryFailed("provider said no")
        self.sent.append(message)


@pytest.fixture
def senders():
    return {"email": Recorder(), "push": Recorder()}


@pytest.fixture
def make_worker(app, senders):
    def make(**settings):
        config = {
            **app.config,
            "BEATGRAPH_FANOUT_BATCH": 2,
            "BEATGRAPH_OUTBOX_BACKOFF_SECONDS": 0,
            **settings,
        }
        return NotificationWorker(
            app.extensions["beatgraph.graph"], senders, config, app.extensions["beatgraph.presence"]
        )

    return make


def drain(worker: NotificationWorker, limit: int = 100) -> None:
    """Run the worker until it finds nothing to do."""
    for _ in range(limit):
        if not worker.run_once():
            return
    raise AssertionError("the worker never ran out of work")


def upload(api, producer, title="Night Drive"):
    response = api.client.post(
        f"/api/v1/producers/{producer['id']}/uploads",
        json={"title": title},
        headers=api.service_headers(),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def bell_types(api, user):
    return [item["type"] for item in api.get("/api/v1/me/notifications", user)["items"]]


# -- new uploads ---------------------------------------------------------------------------


def test_every_liker_hears_of_an_upload_once_across_batches(api, make_worker, senders):
    """Five likers, batches of two: each gets one new_upload notification and one push."""
    kofi = api.create_producer("kofi")
    fans = [api.create_user(f"fan{n}") for n in range(5)]
    for fan in fans:
        api.like(fan, kofi)
    beat = upload(api, kofi)
    drain(make_worker())
    for fan in fans:
        [item] = api.get("/api/v1/me/notifications", fan)["items"]
        assert item["type"] == "new_upload"
        assert item["beat"] == {"id": beat["id"], "title": "Night Drive"}
        assert item["producer"]["id"] == kofi["id"]
    assert sorted(m.recipient_id for m in senders["push"].sent) == sorted(f["id"] for f in fans)
    assert senders["email"].sent == []  # nobody gave an address


def test_online_likers_are_told_first_and_only_once(app, api, make_worker):
    """The first step is whoever is online, wherever they sit among the likers; the
    ranges then pass them over."""
    kofi = api.create_producer("kofi")
    fans = [api.create_user(f"fan{n}") for n in range(5)]
    for fan in fans:
        api.like(fan, kofi)
    online = fans[-1]  # the newest like: the last an ordinary walk would reach
    app.extensions["beatgraph.presence"].renew(online["id"], "a-socket")
    upload(api, kofi)
    worker = make_worker()
    worker.fan_out_step()
    assert [bell_types(api, fan) for fan in fans] == [[]] * 4 + [["new_upload"]]
    drain(worker)
    assert all(bell_types(api, fan) == ["new_upload"] for fan in fans)


def test_upload_preferences_and_late_likers(api, make_worker, senders):
    """New Uploads in-app off → no bell item; push off → no push; liking after the upload
    does not notify about it."""
    kofi = api.create_producer("kofi")
    quiet, no_push, late = (api.create_user(name) for name in ("quiet", "nopush", "late"))
    for fan in (quiet, no_push):
        api.like(fan, kofi)
    for fan, switches in ((quiet, {"in_app": False}), (no_push, {"push": False})):
        api.client.put(
            "/api/v1/me/notification-preferences",
            json={"new_uploads": switches},
            headers=api.headers_for(fan),
        )
    upload(api, kofi)
    api.like(late, kofi)
    drain(make_worker())
    assert bell_types(api, quiet) == []
    assert bell_types(api, no_push) == ["new_upload"]
    assert bell_types(api, late) == []
    assert [m.recipient_id for m in senders["push"].sent] == [quiet["id"]]


def test_the_upload_request_is_the_same_two_writes_whatever_the_likers(api, graph):
    """The request itself creates the beat and one job, however many people like the producer."""
    kofi = api.create_producer("kofi")
    for n in range(30):
        api.like(api.create_user(f"fan{n}"), kofi)
    with graph.count_round_trips() as trips:
        upload(api, kofi)
    assert trips.count == 1
    records, _, _ = graph.driver.execute_query(
        "MATCH (n:Notification) RETURN count(n) AS notifications"
    )
    assert records[0]["notifications"] == 0  # the worker has not run yet


# -- the outbox ----------------------------------------------------------------------------


def test_failed_sends_are_retried_then_dead_lettered(api, make_worker, senders, graph):
    """A failing provider: each attempt is counted, retried after backoff, and after the last
    attempt the entry is a dead letter that staff can list; nothing is lost meanwhile."""
    maya = api.create_user("maya", email="maya@example.com")
    theo = api.create_user("theo")
    worker = make_worker(BEATGRAPH_OUTBOX_MAX_ATTEMPTS=3)
    senders["email"].failing = True
    api.follow(theo, maya)
    for _ in range(3):
        worker.deliver_step()
    assert worker.deliver_step() == 0  # nothing due any more
    [dead] = delivery.list_dead_letters(graph)
    assert (dead["channel"], dead["type"], dead["attempts"]) == ("email", "new_follower", 3)
    assert "provider said no" in dead["last_error"]
    assert [m.recipient_id for m in senders["push"].sent] == [maya["id"]]


def test_staff_list_dead_letters_from_the_command_line(app, api, make_worker, senders):
    """`flask dead-letters` prints each dead entry as a JSON line with its last error."""
    maya = api.create_user("maya", email="maya@example.com")
    api.follow(api.create_user("theo"), maya)
    senders["email"].failing = True
    make_worker(BEATGRAPH_OUTBOX_MAX_ATTEMPTS=1).deliver_step()
    output = app.test_cli_runner().invoke(args=["dead-letters"]).output
    [line] = output.splitlines()
    entry = json.loads(line)
    assert (entry["recipient_id"], entry["channel"]) == (maya["id"], "email")
    assert entry["last_error"] == "provider said no"


def test_a_retry_succeeds_once_the_provider_is_back(api, make_worker, senders):
    """A failure is retried; when the provider answers again the email goes out once."""
    maya = api.create_user("maya", email="maya@example.com")
    api.follow(api.create_user("theo"), maya)
    worker = make_worker()
    senders["email"].failing = True
    worker.deliver_step()
    senders["email"].failing = False
    drain(worker)
    [email] = senders["email"].sent
    assert email.address == "maya@example.com" and email.subject == "Theo followed you"
    assert drain(worker) is None and len(senders["email"].sent) == 1


def test_entries_claimed_by_a_crashed_worker_are_sent_by_the_next(api, make_worker, senders, graph):
    """A worker that claims entries and dies before sending loses nothing."""
    maya = api.create_user("maya", email="maya@example.com")
    api.follow(api.create_user("theo"), maya)
    claimed = delivery.claim_outbox_entries(graph, "crashed-worker", 10, lease_seconds=1)
    assert {entry["channel"] for entry in claimed} == {"email", "push"}
    successor = make_worker()
    assert successor.deliver_step() == 0
    time.sleep(1.2)
    drain(successor)
    assert len(senders["email"].sent) == 1 and len(senders["push"].sent) == 1


def test_channel_switches_decide_what_is_queued(api, make_worker, senders):
    """Email off → no email; push off → no push; in-app stays independent of both."""
    maya = api.create_user("maya", email="maya@example.com")
    api.client.put(
        "/api/v1/me/notification-preferences",
        json={"new_follower": {"email": False}, "direct_messages": {"push": False}},
        headers=api.headers_for(maya),
    )
    theo = api.create_user("theo")
    api.follow(theo, maya)
    api.send(theo, api.start(theo, maya), "hey")
    drain(make_worker())
    assert [(m.channel, m.subject) for m in senders["email"].sent] == [
        ("email", "New message from Theo")
    ]
    assert [(m.channel, m.subject) for m in senders["push"].sent] == [("push", "Theo followed you")]
    assert sorted(bell_types(api, maya)) == ["direct_message", "new_follower"]


# -- SMTP ------------------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_email_goes_out_over_smtp_with_the_deep_link(api, make_worker, senders, smtp_server):
    """A message to someone offline reaches a real SMTP server with its /messages link."""
    controller, inbox = smtp_server
    senders["email"] = SmtpSender("127.0.0.1", controller.port, "BeatPass <n@beatpass.test>")
    maya = api.create_user("maya", email="maya@example.com")
    theo = api.create_user("theo")
    dm = api.start(theo, maya)
    api.send(theo, dm, "new beat?")
    api.send(theo, dm, "hello??")
    drain(make_worker(BEATGRAPH_PUBLIC_URL="https://beatpass.example"))
    [(recipients, content)] = inbox.messages  # one email per unread run, not per message
    email = message_from_string(content, policy=default)
    assert recipients == ["maya@example.com"] and email["To"] == "maya@example.com"
    assert email["Subject"] == "New message from Theo"
    assert f"https://beatpass.example/messages?conversation={dm['id']}" in email.get_content()


def test_an_unreachable_smtp_server_is_a_retry_not_a_crash(api, make_worker, senders, graph):
    """With the SMTP server down, the attempt fails cleanly and the entry waits for a retry."""
    senders["email"] = SmtpSender("127.0.0.1", free_port(), "n@beatpass.test", timeout=2)
    maya = api.create_user("maya", email="maya@example.com")
    api.follow(api.create_user("theo"), maya)
    worker = make_worker(BEATGRAPH_OUTBOX_BACKOFF_SECONDS=60)
    assert worker.deliver_step() == 2
    records, _, _ = graph.driver.execute_query(
        "MATCH (e:OutboxEntry {channel: 'email'}) RETURN e.state AS state, e.attempts AS attempts,"
        " e.last_error AS error, e.next_attempt_at > datetime() + duration('PT50S') AS later"
    )
    [entry] = records
    assert (entry["state"], entry["attempts"], entry["later"]) == ("pending", 1, True)
    assert "SMTP" in entry["error"]


def test_any_sender_error_settles_only_its_own_entry(api, make_worker, senders, smtp_server, graph):
    """A send that fails with an error that is not an SMTP one (a line break in a stored
    address makes building the header raise ValueError) is retried and then dead-lettered
    on its own; every other entry of its batch goes out exactly once."""
    controller, inbox = smtp_server
    senders["email"] = SmtpSender("127.0.0.1", controller.port, "n@beatpass.test")
    theo = api.create_user("theo")
    maya, ana, kofi = (
        api.create_user(name, email=f"{name}@example.com") for name in ("maya", "ana", "kofi")
    )
    for followee in (maya, ana, kofi):
        api.follow(theo, followee)
    graph.driver.execute_query(  # an address stored before addresses were checked
        "MATCH (e:OutboxEntry {channel: 'email', recipient_id: $id})"
        " SET e.address = 'ana@example.com\r\nBcc: all@evil.test'",
        id=ana["id"],
    )
    worker = make_worker(
        BEATGRAPH_OUTBOX_MAX_ATTEMPTS=2,
        BEATGRAPH_WORKER_LEASE_SECONDS=1,
        BEATGRAPH_WORKER_POLL_SECONDS=0.05,
    )
    stop = threading.Event()
    runner = threading.Thread(target=worker.run, args=(stop,))
    runner.start()
    try:
        deadline = time.monotonic() + 15
        while not delivery.list_dead_letters(graph) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        runner.join(timeout=10)
    time.sleep(1.2)  # past the lease: an entry claimed but never settled would be due again
    assert sorted(recipients for recipients, _ in inbox.messages) == [
        ["kofi@example.com"],
        ["maya@example.com"],
    ]
    assert worker.deliver_step() == 0
    assert sorted(m.recipient_id for m in senders["push"].sent) == sorted(
        user["id"] for user in (maya, ana, kofi)
    )
    [dead] = delivery.list_dead_letters(graph)
    assert (dead["recipient_id"], dead["channel"], dead["attempts"]) == (ana["id"], "email", 2)
    assert "linefeed" in dead["last_error"]


def _trigger(api, kind, recipient, actor):
    """Make one notification of `kind` for `recipient` through the API."""
    if kind == "new_follower":
        api.follow(actor, recipient)
    elif kind == "new_uploads":
        producer = api.create_producer("kofi")
        api.like(recipient, producer)
        upload(api, producer)
    elif kind == "direct_messages":
        api.send(actor, api.start(actor, recipient), "hey")
    else:
        response = api.client.post(
            "/api/v1/notifications/playlist-invites",
            headers=api.service_headers(),
            json={
                "to_user_id": recipient["id"],
                "from_user_id": actor["id"],
                "playlist_id": "pl-1",
                "playlist_name": "Drill",
            },
        )
        assert response.status_code == 201


@pytest.mark.parametrize("channel", ["in_app", "email", "push"])
@pytest.mark.parametrize(
    "kind", ["new_follower", "new_uploads", "direct_messages", "playlist_invites"]
)
def test_each_switch_silences_exactly_its_channel(api, make_worker, senders, kind, channel):
    """Turning one type's channel off produces nothing on that channel and leaves the
    other two channels of that type working."""
    maya = api.create_user("maya", email="maya@example.com")
    theo = api.create_user("theo")
    response = api.client.put(
        "/api/v1/me/notification-preferences",
        json={kind: {channel: False}},
        headers=api.headers_for(maya),
    )
    assert response.status_code == 200
    _trigger(api, kind, maya, theo)
    drain(make_worker())
    produced = {
        "in_app": bool(api.get("/api/v1/me/notifications", maya)["items"]),
        "email": any(m.recipient_id == maya["id"] for m in senders["email"].sent),
        "push": any(m.recipient_id == maya["id"] for m in senders["push"].sent),
    }
    assert produced == {name: name != channel for name in ("in_app", "email", "push")}
