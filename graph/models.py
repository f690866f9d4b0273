"""The graph model (DESIGN §2) as neomodel classes: labels, properties and their schema.

Hot-path reads and writes go through the named Cypher files in `cypher/`; these classes
are the single place that declares every label, relationship type, uniqueness
constraint and index, and serve trivial lookups. `graph.schema` installs them.
Times are stored as Neo4j `DATETIME` values so staff read them as dates in Browser.
Every node's opaque `id` is the Python attribute `uid` (neomodel reserves `id`).
"""

from neomodel import (
    ArrayProperty,
    BooleanProperty,
    DateTimeNeo4jFormatProperty,
    IntegerProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredNode,
    StructuredRel,
)

from graph.notifications import OUTBOX_CHANNELS


class Follows(StructuredRel):
    """(User)-[:FOLLOWS]->(User). `key` ("<follower>><followee>") makes a pair unique.
    `follower_id`/`followee_id` with `since` feed the composite indexes that page a user's
    follows and followers (cypher/schema/follows_by_*_index.cypher)."""

    key = StringProperty(unique_index=True, required=True)
    since = DateTimeNeo4jFormatProperty(required=True)
    follower_id = StringProperty(required=True)
    followee_id = StringProperty(required=True)


class Likes(StructuredRel):
    """(User)-[:LIKES]->(Producer): a producer follow. `key` makes the pair unique.
    `user_id`/`producer_id` with `since` feed the composite indexes that page them
    (cypher/schema/likes_by_*_index.cypher)."""

    key = StringProperty(unique_index=True, required=True)
    since = DateTimeNeo4jFormatProperty(required=True)
    user_id = StringProperty(required=True)
    producer_id = StringProperty(required=True)


class Blocks(StructuredRel):
    """(User)-[:BLOCKS]->(User). `key` makes the pair unique."""

    key = StringProperty(unique_index=True, required=True)
    since = DateTimeNeo4jFormatProperty(required=True)


class Participates(StructuredRel):
    """(User)-[:PARTICIPATES]->(Conversation): the member's markers for that conversation.
    `user_id` and `listed_at` (the conversation's last activity; absent while hidden) feed
    the participates_by_user index that orders the recent list (cypher/schema/)."""

    user_id = StringProperty(required=True)
    joined_at = DateTimeNeo4jFormatProperty(required=True)
    read_seq = IntegerProperty(default=0)
    delivered_seq = IntegerProperty(default=0)
    marked_unread = BooleanProperty(default=False)
    hidden = BooleanProperty(default=False)
    listed_at = DateTimeNeo4jFormatProperty()


class User(StructuredNode):
    """A BeatPass account. `username_key` is the lower-cased username, unique."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    username = StringProperty(required=True)
    username_key = StringProperty(unique_index=True, required=True)
    display_name = StringProperty(required=True)
    display_name_key = StringProperty(index=True)
    avatar_url = StringProperty()
    email = StringProperty()
    notifications_off = ArrayProperty(StringProperty())
    created_at = DateTimeNeo4jFormatProperty(required=True)
    # The message badge, kept by the transactions that change it (never recounted).
    unread_conversations = IntegerProperty(default=0)
    unread_messages = IntegerProperty(default=0)

    follows = RelationshipTo("User", "FOLLOWS", model=Follows)
    followers = RelationshipFrom("User", "FOLLOWS", model=Follows)
    likes = RelationshipTo("Producer", "LIKES", model=Likes)
    blocks = RelationshipTo("User", "BLOCKS", model=Blocks)
    conversations = RelationshipTo("Conversation", "PARTICIPATES", model=Participates)
    sent = RelationshipTo("Message", "SENT")
    notifications = RelationshipTo("Notification", "HAS_NOTIFICATION")
    unread_notifications = RelationshipTo("Notification", "UNREAD")
    filed = RelationshipTo("Report", "FILED")


class Producer(StructuredNode):
    """An artist page; CLAIMED_BY links it to the user account behind its Message button."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    slug = StringProperty(unique_index=True, required=True)
    name = StringProperty(required=True)
    created_at = DateTimeNeo4jFormatProperty(required=True)

    claimed_by = RelationshipTo("User", "CLAIMED_BY")
    uploaded = RelationshipTo("Beat", "UPLOADED")
    likers = RelationshipFrom("User", "LIKES", model=Likes)


class Beat(StructuredNode):
    """A beat a producer uploaded."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    title = StringProperty(required=True)
    created_at = DateTimeNeo4jFormatProperty(required=True, index=True)


class Conversation(StructuredNode):
    """A direct or group chat. A direct one has a unique `pair_key` (sorted member ids)."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    kind = StringProperty(required=True, choices={"direct": "direct", "group": "group"})
    title = StringProperty()
    pair_key = StringProperty(unique_index=True)
    created_at = DateTimeNeo4jFormatProperty(required=True)
    last_seq = IntegerProperty(default=0)
    last_message_at = DateTimeNeo4jFormatProperty()

    participants = RelationshipFrom("User", "PARTICIPATES", model=Participates)


class Message(StructuredNode):
    """A chat message. `(conversation_id, seq)` is indexed and `(sender_id, client_id)`
    unique by the composite statements in `cypher/schema/`, which neomodel cannot declare."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    conversation_id = StringProperty(required=True)
    seq = IntegerProperty(required=True)
    sender_id = StringProperty(required=True)
    client_id = StringProperty(required=True)
    body = StringProperty(required=True)
    created_at = DateTimeNeo4jFormatProperty(required=True)
    # While its live events are held (graph.relaying): the JSON batch, and when the worker
    # relays it if its own process did not. Indexed so the worker finds only those.
    relay_events = StringProperty()
    relay_due = DateTimeNeo4jFormatProperty(index=True)

    conversation = RelationshipTo("Conversation", "IN")


class Notification(StructuredNode):
    """Something a user is told about in the bell, owned via HAS_NOTIFICATION.

    While unread it also hangs off `(User)-[:UNREAD]->`, so the unread count is a
    relationship degree. `key` is set only while a notification must stay unique (the one
    unread direct-message notification per conversation); `(n)-[:ABOUT]->` points at the
    follower, beat, conversation or inviter. A `new_upload` notification keeps
    `upload_key` ("<beat>><user>") for good: it is how an upload tells each liker once.
    """

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    type = StringProperty(required=True)
    recipient_id = StringProperty(required=True)
    created_at = DateTimeNeo4jFormatProperty(required=True)
    read = BooleanProperty(default=False)
    key = StringProperty(unique_index=True)
    upload_key = StringProperty(unique_index=True)
    actor_id = StringProperty()


class OutboxEntry(StructuredNode):
    """An email or push waiting for the worker: pending, then deleted once sent, or dead.

    `next_attempt_at` is both the retry time and the lease: claiming an entry pushes it
    forward, so an entry whose worker crashed becomes due again by itself.
    """

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    recipient_id = StringProperty(required=True)
    channel = StringProperty(required=True, choices={c: c for c in OUTBOX_CHANNELS})
    type = StringProperty(required=True)
    state = StringProperty(required=True)
    attempts = IntegerProperty(default=0)
    next_attempt_at = DateTimeNeo4jFormatProperty(required=True)
    created_at = DateTimeNeo4jFormatProperty(required=True)


class FanoutJob(StructuredNode):
    """An upload's notification fan-out to the producer's likers, handed out in ranges.

    The cursor (`after_since`, `after_user_id`) marks the likers already cut into ranges;
    it moves in the transaction that cuts each range, under the job's lock. `state` is
    pending (likers left to cut), cut (every range cut) or done (every range told).
    """

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    beat_id = StringProperty(required=True)
    producer_id = StringProperty(required=True)
    state = StringProperty(required=True)
    next_attempt_at = DateTimeNeo4jFormatProperty(required=True)
    notified = IntegerProperty(default=0)
    online_taken = BooleanProperty(default=False)


class FanoutRange(StructuredNode):
    """One worker's share of a fan-out: the likers after (`from_since`, `from_user_id`) up
    to (`to_since`, `to_user_id`), leased to `claim` until `next_attempt_at`. Told in one
    transaction that also marks it done, so a crashed worker's range is told by the next
    worker, once."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    job_id = StringProperty(required=True)
    state = StringProperty(required=True)
    claim = StringProperty(required=True)
    next_attempt_at = DateTimeNeo4jFormatProperty(required=True)
    likers = IntegerProperty(required=True)


class FollowNotice(StructuredNode):
    """When a follower was last announced to a followee, so an unfollow and refollow within
    24 hours stays quiet. `key` is "<follower>><followee>", unique. A node keyed by the pair
    rather than an edge between the two users: MERGE on it locks only the pair's key,
    never the followee, whom hundreds may be following at the same moment."""

    key = StringProperty(unique_index=True, required=True)
    at = DateTimeNeo4jFormatProperty(required=True)


class Report(StructuredNode):
    """A user's report against another user, for staff to investigate in Browser."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    reason = StringProperty(required=True)
    details = StringProperty()
    created_at = DateTimeNeo4jFormatProperty(required=True, index=True)

    against = RelationshipTo("User", "AGAINST")
