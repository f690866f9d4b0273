"""The graph model (DESIGN §2) as neomodel classes: labels, properties and their schema.

Hot-path reads and writes go through the named Cypher files in `cypher/`; these classes
are the single place that declares every label, relationship type, uniqueness
constraint and index, and serve trivial lookups. `graph.schema` installs them.
Times are stored as Neo4j `DATETIME` values so staff read them as dates in Browser.
Every node's opaque `id` is the Python attribute `uid` (neomodel reserves `id`).
"""

from neomodel import (
    BooleanProperty,
    DateTimeNeo4jFormatProperty,
    IntegerProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredNode,
    StructuredRel,
)


class Follows(StructuredRel):
    """(User)-[:FOLLOWS]->(User). `key` ("<follower>><followee>") makes a pair unique."""

    key = StringProperty(unique_index=True, required=True)
    since = DateTimeNeo4jFormatProperty(required=True)


class Likes(StructuredRel):
    """(User)-[:LIKES]->(Producer): a producer follow. `key` makes the pair unique."""

    key = StringProperty(unique_index=True, required=True)
    since = DateTimeNeo4jFormatProperty(required=True)


class Blocks(StructuredRel):
    """(User)-[:BLOCKS]->(User). `key` makes the pair unique."""

    key = StringProperty(unique_index=True, required=True)
    since = DateTimeNeo4jFormatProperty(required=True)


class Participates(StructuredRel):
    """(User)-[:PARTICIPATES]->(Conversation): the member's markers for that conversation."""

    joined_at = DateTimeNeo4jFormatProperty(required=True)
    read_seq = IntegerProperty(default=0)
    delivered_seq = IntegerProperty(default=0)
    marked_unread = BooleanProperty(default=False)
    hidden = BooleanProperty(default=False)


class User(StructuredNode):
    """A BeatPass account. `username_key` is the lower-cased username, unique."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    username = StringProperty(required=True)
    username_key = StringProperty(unique_index=True, required=True)
    display_name = StringProperty(required=True)
    display_name_key = StringProperty(index=True)
    avatar_url = StringProperty()
    created_at = DateTimeNeo4jFormatProperty(required=True)

    follows = RelationshipTo("User", "FOLLOWS", model=Follows)
    followers = RelationshipFrom("User", "FOLLOWS", model=Follows)
    likes = RelationshipTo("Producer", "LIKES", model=Likes)
    blocks = RelationshipTo("User", "BLOCKS", model=Blocks)
    conversations = RelationshipTo("Conversation", "PARTICIPATES", model=Participates)
    sent = RelationshipTo("Message", "SENT")
    notifications = RelationshipTo("Notification", "HAS_NOTIFICATION")
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

    conversation = RelationshipTo("Conversation", "IN")


class Notification(StructuredNode):
    """Something a user is told about in the bell, owned via HAS_NOTIFICATION."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    type = StringProperty(required=True)
    created_at = DateTimeNeo4jFormatProperty(required=True)
    read = BooleanProperty(default=False)


class Report(StructuredNode):
    """A user's report against another user, for staff to investigate in Browser."""

    uid = StringProperty(db_property="id", unique_index=True, required=True)
    reason = StringProperty(required=True)
    details = StringProperty()
    created_at = DateTimeNeo4jFormatProperty(required=True, index=True)

    against = RelationshipTo("User", "AGAINST")
