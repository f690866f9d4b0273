"""The message badge and the recent list are kept up to date by the transactions that
change them (counters on the user, a list key on each membership), never recounted on a
read. These tests drive random sequences of changes and compare what the API serves with
a recount from every membership (cypher/testing/recount_messaging_state), so a counter
that drifts fails here."""

import random
import threading
from typing import Any

from cypher import Q
from graph import conversations, messages
from graph.events import UnitOfWork, nobody_online

SEED = 20261202
STEPS = 160


def _recount(graph, user: dict[str, Any]) -> dict[str, Any]:
    record = graph.single(Q.testing.recount_messaging_state, user_id=user["id"])
    assert record is not None
    return dict(record)


def _listed(api, user: dict[str, Any]) -> list[tuple[str, int]]:
    """(id, unread_count) of every conversation in the user's list, every page, in order."""
    served, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = api.get("/api/v1/conversations", user, **params)
        served += [(item["id"], item["unread_count"]) for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return served


def _assert_badges_match(api, graph, users: list[dict[str, Any]], step: str) -> None:
    for user in users:
        truth = _recount(graph, user)
        expected = {"conversations": truth["conversations"], "messages": truth["messages"]}
        assert api.get("/api/v1/me/unread", user) == expected, (step, user["username"])
        me = api.get("/api/v1/me", user)["unread"]
        assert {k: me[k] for k in expected} == expected, (step, user["username"])


def _assert_lists_match(api, graph, users: list[dict[str, Any]], step: str) -> None:
    for user in users:
        truth = _recount(graph, user)
        unread = dict((cid, count) for cid, count in truth["unread"])
        assert _listed(api, user) == [(cid, unread[cid]) for cid in truth["listed"]], (
            step,
            user["username"],
        )


class World:
    """Five users, every DM between them and two groups, acted on at random."""

    def __init__(self, api, rng: random.Random) -> None:
        self.api, self.rng = api, rng
        self.users = [api.create_user(name) for name in ("ana", "ben", "cat", "dan", "eli")]
        self.dms = {}
        for i, one in enumerate(self.users):
            for other in self.users[i + 1 :]:
                self.dms[(one["id"], other["id"])] = api.start(one, other)
        self.groups = [
            api.start(self.users[0], *self.users[1:4], title="four"),
            api.start(self.users[4], *self.users[:3], title="also four"),
        ]

    def members(self, conversation: dict) -> list[dict]:
        ids = {p["id"] for p in conversation["participants"]}
        return [user for user in self.users if user["id"] in ids]

    def step(self) -> str:
        """Do one random thing a user can do to a conversation; say what it was."""
        conversation = self.rng.choice(list(self.dms.values()) + self.groups)
        user = self.rng.choice(self.members(conversation))
        url = f"/api/v1/conversations/{conversation['id']}"
        action = self.rng.choice(
            ["send", "send", "send", "read", "read_some", "unread", "hide", "reopen", "delivered"]
        )
        if action == "send":
            self.api.send(user, conversation, "hi")
        elif action == "read":
            self.api.post(f"{url}/read", user, {})
        elif action == "read_some":
            last = self.api.get(url, user)["last_seq"]
            self.api.post(f"{url}/read", user, {"up_to_seq": self.rng.randint(0, last)})
        elif action == "unread":
            self.api.post(f"{url}/unread", user)
        elif action == "hide":
            response = self.api.client.delete(url, headers=self.api.headers_for(user))
            assert response.status_code == 200, response.get_json()
        elif action == "reopen" and conversation in self.groups:
            self.api.send(user, conversation, "back")  # a group comes back by a message
        elif action == "reopen":
            others = [m for m in self.members(conversation) if m["id"] != user["id"]]
            self.api.start(user, *others)  # opening a DM again un-hides it
        else:
            last = self.api.get(url, user)["last_seq"]
            self.api.post(f"{url}/delivered", user, {"up_to_seq": last})
        return f"{action} by {user['username']} in {conversation['id']}"


def test_badges_and_lists_match_a_recount_after_random_changes(api, graph):
    """After every step of a seeded random run of sends, reads (whole and partial),
    mark-unreads, hides, re-opens and delivery receipts, every user's badge (GET /me/unread
    and GET /me) equals a recount from every membership; every few steps, so does each
    user's whole recent list (order and unread counts)."""
    world = World(api, random.Random(SEED))
    for number in range(STEPS):
        step = f"{number}: {world.step()}"
        _assert_badges_match(api, graph, world.users, step)
        if number % 20 == 19:
            _assert_lists_match(api, graph, world.users, step)


def test_racing_sends_and_reads_keep_the_badge_exact(api, graph):
    """Sends from four partners and the recipient's own reads and hides, all at once on
    threads, leave the recipient's counters equal to a recount: every writer of a badge
    takes the user's lock before it reads the memberships it adjusts from."""
    star = api.create_user("star")
    partners = [api.create_user(f"fan{n}") for n in range(4)]
    dms = [api.start(fan, star) for fan in partners]
    errors: list[BaseException] = []

    def partner(fan: dict, dm: dict) -> None:
        try:
            for n in range(15):
                messages.send_message(
                    graph,
                    UnitOfWork(),
                    fan["id"],
                    dm["id"],
                    f"c{fan['id']}{n}",
                    "hey",
                    online=nobody_online,
                )
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            errors.append(exc)

    def reader() -> None:
        rng = random.Random(SEED)
        try:
            for _ in range(30):
                dm = rng.choice(dms)
                if rng.random() < 0.2:
                    conversations.hide_conversation(graph, UnitOfWork(), star["id"], dm["id"])
                else:
                    messages.mark_read(graph, UnitOfWork(), star["id"], dm["id"])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [
        threading.Thread(target=partner, args=pair) for pair in zip(partners, dms, strict=True)
    ]
    threads.append(threading.Thread(target=reader))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    _assert_badges_match(api, graph, [star, *partners], "after the race")
    _assert_lists_match(api, graph, [star, *partners], "after the race")


def test_migrate_backfills_the_counters_of_a_graph_made_before_they_were_kept(app, api, graph):
    """`flask migrate` on a graph without badge counters or list keys (made by an older
    version, then changed by this one before the migration ran) gives every user the badge
    and the list a recount gives, in batches; a second run changes nothing."""
    world = World(api, random.Random(SEED + 1))
    for _ in range(60):
        world.step()
    graph.run(Q.testing.strip_messaging_counters)
    for _ in range(20):
        world.step()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["migrate", "--backfill-batch", "2"])  # three batches
    assert first.exit_code == 0, first.output
    assert "backfilled for 5 user(s)" in first.output
    _assert_badges_match(api, graph, world.users, "after migrate")
    _assert_lists_match(api, graph, world.users, "after migrate")
    again = runner.invoke(args=["migrate"])
    assert "backfilled for 0 user(s)" in again.output
    _assert_badges_match(api, graph, world.users, "after a second migrate")
