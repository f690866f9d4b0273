"""Growth, not one size: each hot messaging statement is PROFILEd at two sizes of what
could grow — the conversations a user is in (10 and 2,000) and the members of a
conversation (2 and 50) — and its db hits may grow by a small constant factor at most.
Each size is measured with a plan made for it (tests/plans.forget_plans). Fixtures are
built by one UNWIND statement (cypher/testing/add_direct_conversations)."""

import pytest

from cypher import Q
from graph.paging import FIRST_PAGE_AFTER
from tests.plans import db_hits, forget_plans

FEW, MANY = 10, 2_000


def _add_conversations(graph, users: list[dict], count: int, prefix: str) -> None:
    graph.run(
        Q.testing.add_direct_conversations,
        user_ids=[u["id"] for u in users],
        count=count,
        prefix=prefix,
    )


class Sender:
    """PROFILEd sends into one conversation, a fresh client_id each time; the recipients
    count as offline, so each send also writes their direct-message notification."""

    def __init__(self, graph, sender: dict, conversation: dict, recipients: list[dict]):
        self.graph, self.sender, self.conversation = graph, sender, conversation
        self.recipients = recipients
        self.sent = 0

    def hits(self) -> int:
        self.sent += 1
        forget_plans(self.graph)
        return db_hits(
            self.graph,
            Q.messaging.send_messages.text,
            sends=[
                {
                    "user_id": self.sender["id"],
                    "conversation_id": self.conversation["id"],
                    "message_id": f"growth-{self.conversation['id']}-{self.sent}",
                    "client_id": f"growth-{self.sent}",
                    "body": "hello",
                    "notify_ids": [user["id"] for user in self.recipients],
                }
            ],
        )


@pytest.fixture
def dm(api, graph):
    """maya and theo's direct conversation, with a sender that PROFILEs maya's sends."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    conversation = api.start(maya, theo)
    return maya, theo, Sender(graph, maya, conversation, [theo])


def test_a_send_costs_the_same_whatever_the_recipients_other_conversations(dm, graph):
    """Sending a DM updates both badges without reading anyone's other conversations: the
    same db hits whether theo and maya are each in 10 other conversations or 2,000."""
    maya, theo, sender = dm
    _add_conversations(graph, [theo, maya], FEW, "few")
    sender.hits()  # plans the statement and creates theo's DM notification
    few = sender.hits()
    _add_conversations(graph, [theo, maya], MANY - FEW, "many")
    many = sender.hits()
    assert many <= few * 1.1, (few, many)


def _group(api, size: int, name: str) -> tuple[dict, list[dict], dict]:
    users = [api.create_user(f"{name}{n:02d}") for n in range(size)]
    return users[0], users[1:], api.start(users[0], *users[1:], title=name)


def test_a_group_send_costs_the_same_whatever_the_members_other_conversations(api, graph):
    """A message into a 50-member group touches each member once: the same db hits whether
    every member is in no other conversation or in 40 others (2,000 in all)."""
    owner, others, group = _group(api, 50, "crew")
    sender = Sender(graph, owner, group, others)
    sender.hits()
    alone = sender.hits()
    _add_conversations(graph, [owner, *others], 40, "busy")
    busy = sender.hits()
    assert busy <= alone * 1.1, (alone, busy)


def test_a_group_send_costs_each_member_no_more_than_a_dm_does(api, graph, dm):
    """Per member, a send into a 50-member group costs at most 1.5x a send into a DM, and
    each added member adds the same cost (no member pays for another)."""
    _, _, dm_sender = dm
    dm_sender.hits()
    two = dm_sender.hits()
    costs = {}
    for size in (26, 50):
        owner, others, group = _group(api, size, f"g{size}x")
        sender = Sender(graph, owner, group, others)
        sender.hits()
        costs[size] = sender.hits()
    assert costs[50] / 50 <= 1.5 * two / 2, (two, costs)
    assert costs[50] - costs[26] <= 1.2 * (costs[26] - two), (two, costs)


def _reads(graph, user: dict) -> dict[str, int]:
    activity, after_id = FIRST_PAGE_AFTER
    forget_plans(graph)
    return {
        "badge": db_hits(graph, Q.messaging.get_unread_badge.text, user_id=user["id"]),
        "me": db_hits(graph, Q.profiles.get_me.text, user_id=user["id"]),
        "list": db_hits(
            graph,
            Q.messaging.list_conversations.text,
            user_id=user["id"],
            after_activity=activity,
            after_id=after_id,
            limit=21,
        ),
    }


def test_badge_profile_and_list_cost_the_same_at_30_and_2000_conversations(api, graph):
    """The badge, /me (with its badge) and page 1 of the recent list read kept counts and
    an index in order: the same db hits for a user in 30 conversations as in 2,000."""
    star = api.create_user("star")
    _add_conversations(graph, [star], 30, "few")
    _reads(graph, star)  # plans every statement
    few = _reads(graph, star)
    _add_conversations(graph, [star], MANY - 30, "many")
    many = _reads(graph, star)
    for name in few:
        assert many[name] <= few[name] * 1.2, (name, few, many)


def _marker_hits(graph, user: dict, conversation: dict) -> dict[str, int]:
    forget_plans(graph)
    ids = {"user_id": user["id"], "conversation_id": conversation["id"]}
    return {
        "read": db_hits(graph, Q.messaging.move_markers.text, **ids, up_to_seq=None, read=True),
        "mark unread": db_hits(
            graph, Q.messaging.set_membership_flags.text, **ids, marked_unread=True, hidden=None
        ),
        "hide": db_hits(
            graph, Q.messaging.set_membership_flags.text, **ids, marked_unread=None, hidden=True
        ),
        "show": db_hits(
            graph, Q.messaging.set_membership_flags.text, **ids, marked_unread=None, hidden=False
        ),
    }


def test_read_mark_unread_and_hide_cost_the_same_at_10_and_2000_conversations(dm, graph):
    """Reading, marking unread and hiding move the badge they return by this
    conversation's share: the same db hits for a user in 10 conversations as in 2,000."""
    maya, theo, sender = dm
    _add_conversations(graph, [theo], FEW, "few")
    sender.hits()
    _marker_hits(graph, theo, sender.conversation)  # the DM notification is read once
    sender.hits()
    few = _marker_hits(graph, theo, sender.conversation)
    _add_conversations(graph, [theo], MANY - FEW, "many")
    sender.hits()
    many = _marker_hits(graph, theo, sender.conversation)
    for name in few:
        assert many[name] <= few[name] * 1.1, (name, few, many)


def _suggestion_hits(graph, user: dict) -> int:
    forget_plans(graph)
    return db_hits(graph, Q.messaging.list_suggestions.text, user_id=user["id"], limit=20)


def test_blank_suggestions_cost_the_same_at_30_and_2000_conversations(api, graph):
    """The blank-search suggestions read the newest chat partners from the recent-list
    index, not every membership sorted: the same db hits at 30 conversations (a full
    page already) as at 2,000, and still followed people first, then the newest partners."""
    star = api.create_user("star")
    friend = api.create_user("friend")
    api.follow(star, friend)
    _add_conversations(graph, [star], 30, "few")
    few = _suggestion_hits(graph, star)
    _add_conversations(graph, [star], MANY - 30, "many")
    partner = api.create_user("newest_partner")
    api.send(partner, api.start(partner, star), "yo")
    many = _suggestion_hits(graph, star)
    names = [u["username"] for u in api.get("/api/v1/messaging/suggestions", star)["items"]]
    assert names[:2] == ["friend", "newest_partner"] and len(names) == 20
    print(f"blank suggestions: {few} db hits (30 conversations), {many} (2,000)")
    assert many <= few * 1.5, (few, many)


def _group_creation_hits(graph, owner: dict, others: list[dict], n: int) -> int:
    forget_plans(graph)
    return db_hits(
        graph,
        Q.messaging.create_group_conversation.text,
        user_id=owner["id"],
        participant_ids=[user["id"] for user in others],
        conversation_id=f"growth-group-{n}",
        title=None,
    )


def test_starting_a_group_costs_the_same_whatever_the_members_other_conversations(api, graph):
    """A new 10-member group writes one membership per member: the same db hits whether the
    members are in 10 other conversations each or 2,000."""
    users = [api.create_user(f"gm{n:02d}") for n in range(10)]
    owner, others = users[0], users[1:]
    _add_conversations(graph, users, FEW, "few")
    few = _group_creation_hits(graph, owner, others, 1)
    _add_conversations(graph, users, MANY - FEW, "many")
    many = _group_creation_hits(graph, owner, others, 2)
    assert many <= few * 1.1, (few, many)


def _hold_hits(graph, message_id: str) -> int:
    forget_plans(graph)
    return db_hits(
        graph,
        Q.messaging.hold_and_release_events.text,
        held=[{"message_id": message_id, "events": '[{"type": "message.created"}]'}],
        hold_seconds=5,
        released=[message_id],
    )


def test_holding_a_messages_events_costs_the_same_at_10_and_2000_messages(dm, api, graph):
    """The events kept on a new message until they are relayed are written, and those of a
    relayed one forgotten, by a seek of each message: the same db hits with 10 messages in
    the graph or 2,000."""
    maya, theo, _ = dm
    _add_conversations(graph, [theo], FEW, "few")
    few = _hold_hits(graph, api.send(theo, api.start(theo, maya), "one")["id"])
    _add_conversations(graph, [theo], MANY - FEW, "many")
    many = _hold_hits(graph, api.send(theo, api.start(theo, maya), "two")["id"])
    assert many <= few * 1.1, (few, many)
