"""Reads a BeatPass export, checks every row, and writes the staging files.

Staging files hold the graph's rows exactly as they will be stored, the derived state the
hot paths rely on included: lower-cased keys, relationship keys and endpoint ids (the
keyset indexes), gapless message seqs, each conversation's last seq and activity, each
membership's list key, and each user's badge counters. Any bad row is reported as
`file:line: column c: problem` and the whole import stops before a database is touched.
"""

import csv
import re
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated, Any

import numpy as np
from pydantic import TypeAdapter, ValidationError
from rich.progress import Progress

from api.schemas.users import EMAIL_PATTERN, USERNAME_PATTERN
from bulk import spec
from bulk.progress import tracked_lines
from graph.fields import ID_PATTERN, Text

MAX_ERRORS = 50  # reported before stopping: past a few dozen, the rest are usually echoes
MAX_MEMBERS = 50  # as the API allows: the caller and 49 others
OUTSIDE = 1 << 30  # user and producer numbers from here on are ids found in the database
ID = re.compile(ID_PATTERN)
USERNAME = re.compile(USERNAME_PATTERN)
EMAIL = re.compile(EMAIL_PATTERN)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
URL = re.compile(r"^https?://[^\s]{1,2040}$")
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
TRUE, FALSE = {"true", "t", "1", "yes", "y"}, {"false", "f", "0", "no", "n", ""}


def _text(max_length: int, multiline: bool = False) -> TypeAdapter[str]:
    """The API's own text rule (trimmed, no control or bidi characters)."""
    return TypeAdapter(Annotated[str, Text(max_length, multiline=multiline)])


DISPLAY_NAME, NAME, TITLE, BODY = _text(64), _text(100), _text(200), _text(4000, multiline=True)

# existing(kind, values) -> those of `values` the database already holds; kinds are the
# branches of cypher/importing/find_existing.cypher. None: the store is new (admin import).
Existing = Callable[[str, list[str]], set[str]]


@dataclass(frozen=True)
class RowError:
    """One bad value, where it is."""

    file: str
    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: column {self.column}: {self.problem}"


class ImportRejected(Exception):
    """The export has bad rows; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        more = " (stopped at the first {MAX_ERRORS})" if len(errors) >= MAX_ERRORS else ""
        super().__init__(f"{len(errors)} bad row(s){more}; nothing was imported")


class _Conversation:
    __slots__ = ("id", "line", "kind", "title", "created_at", "members", "last_seq", "last_at")

    def __init__(self, id: str, line: int, kind: str, title: str | None, created_at: str) -> None:
        self.id, self.line, self.kind, self.title, self.created_at = (
            id,
            line,
            kind,
            title,
            created_at,
        )
        self.members: list[str] = []
        self.last_seq = 0
        self.last_at: str | None = None


@dataclass
class Staged:
    """What staging produced: row counts per staging file, and what the loaders need."""

    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    multiline: bool = False  # some message body holds a line break
    outside_badges: dict[str, list[int]] = field(default_factory=dict)  # existing users


def normal_time(text: str) -> str:
    """An ISO 8601 time as fixed-width UTC (`2024-05-01T10:00:00.000000Z`), so that text
    order is time order; a time without an offset is taken as UTC."""
    if len(text) == 20 and text[19] == "Z" and text[10] == "T":
        datetime.fromisoformat(text[:19])  # the common shape, checked without conversions
        return text[:19] + ".000000Z"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"


class Stager:
    """One pass over the export's files, in `spec.SOURCES` order."""

    def __init__(
        self, source: Path, staging: Path, progress: Progress, existing: Existing | None
    ) -> None:
        self.source, self.progress, self.existing = source, progress, existing
        self.errors: list[RowError] = []
        self.staged = Staged(staging)
        self.users: dict[str, int] = {}  # id -> number, in file order
        self.user_rows: list[list[Any]] = []
        self.producers: dict[str, int] = {}
        self.outside: dict[str, dict[str, int]] = {"user_id": {}, "producer_id": {}}
        self.first_use: dict[tuple[str, str], tuple[str, int, str]] = {}
        self.outside_pairs: list[tuple[str, str, str, int]] = []  # kind, key, file, line
        self.conversations: dict[str, _Conversation] = {}
        self.participants: list[tuple[Any, ...]] = []
        self._writers: dict[str, tuple[IO[str], Any]] = {}

    # -- plumbing ------------------------------------------------------------------------
    def error(self, file: str, line: int, column: str, problem: str) -> None:
        """Record a bad value; stop once MAX_ERRORS are known."""
        self.errors.append(RowError(file, line, column, problem))
        if len(self.errors) >= MAX_ERRORS:
            raise ImportRejected(self.errors)

    def write(self, kind: str, row: tuple[Any, ...] | list[Any]) -> None:
        """Append a row to a staging file (made, with its header, on first use)."""
        if kind not in self._writers:
            header = spec.NODE_FILES.get(kind) or spec.RELATIONSHIP_FILES[kind]
            handle = (self.staged.folder / spec.staging_name(kind)).open(
                "w", newline="", encoding="utf-8"
            )
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            self._writers[kind] = (handle, writer)
            self.staged.counts[kind] = 0
        self._writers[kind][1].writerow(row)
        self.staged.counts[kind] += 1

    @contextmanager
    def rows(
        self, source: spec.SourceFile
    ) -> Iterator[tuple[dict[str, int], Iterator[tuple[int, list[str]]]]]:
        """The header's column positions and the rows, each with the line it starts on."""
        path = self.source / source.name
        if not path.is_file():
            self.error(source.name, 0, "(file)", f"is missing from {self.source}")
            yield {}, iter(())
            return
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(
                tracked_lines(handle, path, self.progress, f"checking {source.name}")
            )
            header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
            missing = [name for name in source.required if name not in header]
            if missing:
                self.error(source.name, 1, missing[0], "is missing from the header line")
                yield {}, iter(())
                return
            known = source.required + source.optional
            positions = {name: header.index(name) for name in known if name in header}
            self.staged.ignored_columns[source.name] = [n for n in header if n not in known]
            yield positions, self._records(source.name, reader, len(header))

    def _records(self, name: str, reader: Any, width: int) -> Iterator[tuple[int, list[str]]]:
        line = 1
        try:
            for fields in reader:
                start, line = line + 1, reader.line_num
                if len(fields) == width:
                    yield start, fields
                elif fields:
                    self.error(
                        name, start, "(row)", f"has {len(fields)} fields, the header {width}"
                    )
        except UnicodeDecodeError:
            self.error(name, line + 1, "(row)", "is not UTF-8 text")
        except csv.Error as exc:
            self.error(name, line + 1, "(row)", f"is not valid CSV ({exc})")

    def time(self, text: str, file: str, line: int, column: str) -> str | None:
        """The normalised time, or None after recording why it is bad."""
        try:
            return normal_time(text)
        except ValueError:
            shown = repr(text) if text else "empty"
            self.error(file, line, column, f"is {shown}, not an ISO 8601 time")
            return None

    def text(
        self, adapter: TypeAdapter[str], value: str, file: str, line: int, column: str
    ) -> str | None:
        """The trimmed text, or None after recording why it is refused."""
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            self.error(file, line, column, exc.errors()[0]["msg"].removeprefix("Value error, "))
            return None

    def reference(self, kind: str, value: str, file: str, line: int, column: str) -> int | None:
        """The number of a user or producer a row points at. One not in the export may be
        in the database (online import); it is looked up once every file is read."""
        known = self.users if kind == "user_id" else self.producers
        number = known.get(value)
        if number is not None:
            return number
        if not ID.match(value):
            self.error(file, line, column, f"{value!r} is not an id")
            return None
        outside = self.outside[kind]
        if value not in outside:
            outside[value] = OUTSIDE + len(outside)
            self.first_use[(kind, value)] = (file, line, column)
        return outside[value]

    def duplicates(self, codes: "array[int]", lines: "array[int]", file: str, what: str) -> None:
        """Report every row that repeats an earlier one's pair (one sort, not a set of
        20 million pairs)."""
        values = np.frombuffer(codes, dtype=np.int64)
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        for k in np.nonzero(ordered[1:] == ordered[:-1])[0][:MAX_ERRORS]:
            first, again = lines[int(order[k])], lines[int(order[k + 1])]
            self.error(file, again, what, f"repeats the row on line {first}")

    # -- the files -----------------------------------------------------------------------
    def run(self) -> Staged:
        """Check and stage every file; raise ImportRejected if any row is bad."""
        try:
            self.users_file()
            self.producers_file()
            self.beats_file()
            self.pairs_file(spec.FOLLOWS, "FOLLOWS", "follower_id", "followee_id")
            self.pairs_file(spec.LIKES, "LIKES", "user_id", "producer_id")
            self.conversations_file()
            self.participants_file()
            self.messages_file()
            self.settle_conversations()
            self.settle_outside()
            if self.errors:
                raise ImportRejected(self.errors)
            self.write_users()
        finally:
            for handle, _ in self._writers.values():
                handle.close()
        return self.staged

    def users_file(self) -> None:
        name, keys = spec.USERS.name, dict[str, int]()
        with self.rows(spec.USERS) as (at, rows):
            avatar_at, email_at = at.get("avatar_url"), at.get("email")
            for line, row in rows:
                user_id, username = row[at["id"]], row[at["username"]]
                if not ID.match(user_id):
                    self.error(
                        name, line, "id", f"{user_id!r} is not an id (1-64 of A-Z a-z 0-9 _ -)"
                    )
                    continue
                if user_id in self.users:
                    first = self.user_rows[self.users[user_id]][-1]
                    self.error(name, line, "id", f"{user_id!r} is already the user on line {first}")
                    continue
                if not USERNAME.match(username):
                    self.error(name, line, "username", f"{username!r} is not 3-30 of a-z 0-9 _ .")
                    continue
                if username.lower() in keys:
                    first = keys[username.lower()]
                    self.error(
                        name,
                        line,
                        "username",
                        f"{username!r} is taken (ignoring case) on line {first}",
                    )
                    continue
                avatar = row[avatar_at] if avatar_at is not None else ""
                if avatar and not URL.match(avatar):
                    self.error(name, line, "avatar_url", f"{avatar!r} is not an http(s) URL")
                email = row[email_at] if email_at is not None else ""
                if email and (len(email) > 254 or not EMAIL.match(email)):
                    self.error(name, line, "email", f"{email!r} is not an email address")
                display = self.text(
                    DISPLAY_NAME, row[at["display_name"]], name, line, "display_name"
                )
                created = self.time(row[at["created_at"]], name, line, "created_at")
                if display is None or created is None:
                    continue
                keys[username.lower()] = line
                self.users[user_id] = len(self.user_rows)
                self.user_rows.append(
                    [
                        user_id,
                        username,
                        username.lower(),
                        display,
                        display.lower(),
                        avatar or None,
                        email or None,
                        created,
                        line,
                    ]
                )

    def producers_file(self) -> None:
        name, slugs = spec.PRODUCERS.name, dict[str, int]()
        with self.rows(spec.PRODUCERS) as (at, rows):
            owner_at = at.get("user_id")
            for line, row in rows:
                producer_id, slug = row[at["id"]], row[at["slug"]]
                if not ID.match(producer_id):
                    self.error(name, line, "id", f"{producer_id!r} is not an id")
                    continue
                if producer_id in self.producers:
                    self.error(name, line, "id", f"{producer_id!r} is already a producer above")
                    continue
                if not SLUG.match(slug):
                    self.error(
                        name, line, "slug", f"{slug!r} is not 1-63 of a-z 0-9 - (not - first)"
                    )
                    continue
                if slug in slugs:
                    self.error(
                        name, line, "slug", f"{slug!r} is already the slug on line {slugs[slug]}"
                    )
                    continue
                title = self.text(NAME, row[at["name"]], name, line, "name")
                created = self.time(row[at["created_at"]], name, line, "created_at")
                owner = row[owner_at] if owner_at is not None else ""
                if owner and self.reference("user_id", owner, name, line, "user_id") is None:
                    continue
                if title is None or created is None:
                    continue
                slugs[slug] = line
                self.producers[producer_id] = len(self.producers)
                self.write("Producer", (producer_id, slug, title, created))
                if owner:
                    self.write("CLAIMED_BY", (producer_id, owner))

    def beats_file(self) -> None:
        name, seen = spec.BEATS.name, dict[str, int]()
        with self.rows(spec.BEATS) as (at, rows):
            for line, row in rows:
                beat_id, producer_id = row[at["id"]], row[at["producer_id"]]
                if not ID.match(beat_id):
                    self.error(name, line, "id", f"{beat_id!r} is not an id")
                    continue
                if beat_id in seen:
                    self.error(
                        name, line, "id", f"{beat_id!r} is already the beat on line {seen[beat_id]}"
                    )
                    continue
                title = self.text(TITLE, row[at["title"]], name, line, "title")
                created = self.time(row[at["created_at"]], name, line, "created_at")
                found = self.reference("producer_id", producer_id, name, line, "producer_id")
                if title is None or created is None or found is None:
                    continue
                seen[beat_id] = line
                self.write("Beat", (beat_id, title, created))
                self.write("UPLOADED", (producer_id, beat_id))

    def pairs_file(self, source: spec.SourceFile, kind: str, start: str, end: str) -> None:
        """Follows (user to user) or likes (user to producer): one edge per row, each pair
        once, with the key and endpoint ids the uniqueness and keyset indexes read."""
        name, codes, lines = source.name, array("q"), array("l")
        end_kind = "producer_id" if kind == "LIKES" else "user_id"
        with self.rows(source) as (at, rows):
            start_at, end_at, since_at = at.get(start), at.get(end), at.get(source.required[2])
            for line, row in rows:
                a_id, b_id = row[start_at], row[end_at]  # type: ignore[index]
                a = self.reference("user_id", a_id, name, line, start)
                b = self.reference(end_kind, b_id, name, line, end)
                since = self.time(row[since_at], name, line, source.required[2])  # type: ignore[index]
                if a is None or b is None or since is None:
                    continue
                if a == b and kind == "FOLLOWS":
                    self.error(name, line, end, "is the follower: nobody follows themselves")
                    continue
                codes.append(a << 32 | b)
                lines.append(line)
                key = f"{a_id}>{b_id}"
                self.write(kind, (a_id, b_id, key, since, a_id, b_id))
                if a >= OUTSIDE and b >= OUTSIDE:
                    self.outside_pairs.append((kind.lower() + "_key", key, name, line))
        self.duplicates(codes, lines, name, end)

    def conversations_file(self) -> None:
        name = spec.CONVERSATIONS.name
        with self.rows(spec.CONVERSATIONS) as (at, rows):
            title_at = at.get("title")
            for line, row in rows:
                conversation_id, kind = row[at["id"]], row[at["kind"]]
                if not ID.match(conversation_id):
                    self.error(name, line, "id", f"{conversation_id!r} is not an id")
                    continue
                if conversation_id in self.conversations:
                    first = self.conversations[conversation_id].line
                    self.error(name, line, "id", f"{conversation_id!r} is already on line {first}")
                    continue
                if kind not in ("direct", "group"):
                    self.error(name, line, "kind", f"is {kind!r}, not 'direct' or 'group'")
                    continue
                raw_title = row[title_at] if title_at is not None else ""
                title = self.text(NAME, raw_title, name, line, "title") if raw_title else None
                if raw_title and kind == "direct":
                    self.error(name, line, "title", "a direct conversation has no title")
                created = self.time(row[at["created_at"]], name, line, "created_at")
                if created is None or (raw_title and title is None):
                    continue
                self.conversations[conversation_id] = _Conversation(
                    conversation_id, line, kind, title, created
                )

    def _conversation(self, value: str, file: str, line: int) -> _Conversation | None:
        found = self.conversations.get(value)
        if found is None:
            self.error(file, line, "conversation_id", f"{value!r} is not in conversations.csv")
        return found

    def _count(self, value: str, file: str, line: int, column: str) -> int | None:
        if not value.strip():
            return None
        try:
            number = int(value)
        except ValueError:
            number = -1
        if number < 0:
            self.error(file, line, column, f"is {value!r}, not a whole number ≥ 0")
        return number

    def _flag(self, value: str, file: str, line: int, column: str) -> bool:
        lowered = value.strip().lower()
        if lowered not in TRUE and lowered not in FALSE:
            self.error(file, line, column, f"is {value!r}, not true or false")
        return lowered in TRUE

    def participants_file(self) -> None:
        """Memberships are held until the messages are read: their markers need each
        conversation's last seq."""
        name = spec.PARTICIPANTS.name
        with self.rows(spec.PARTICIPANTS) as (at, rows):
            optional = [at.get(c) for c in spec.PARTICIPANTS.optional]
            for line, row in rows:
                conversation = self._conversation(row[at["conversation_id"]], name, line)
                user_id = row[at["user_id"]]
                user = self.reference("user_id", user_id, name, line, "user_id")
                joined = self.time(row[at["joined_at"]], name, line, "joined_at")
                read_at, delivered_at, marked_at, hidden_at = optional
                read = self._count(cell(row, read_at), name, line, "read_seq")
                delivered = self._count(cell(row, delivered_at), name, line, "delivered_seq")
                marked = self._flag(cell(row, marked_at), name, line, "marked_unread")
                hidden = self._flag(cell(row, hidden_at), name, line, "hidden")
                if conversation is None or user is None or joined is None:
                    continue
                if user_id in conversation.members:
                    self.error(
                        name, line, "user_id", f"{user_id!r} is already in that conversation"
                    )
                    continue
                if len(conversation.members) >= MAX_MEMBERS:
                    self.error(
                        name, line, "conversation_id", f"has more than {MAX_MEMBERS} members"
                    )
                    continue
                conversation.members.append(user_id)
                self.participants.append(
                    (conversation, user_id, joined, read, delivered, marked, hidden, line)
                )

    def messages_file(self) -> None:
        """Seqs are given in file order, which must be by conversation, then time (the
        export's ORDER BY conversation_id, created_at, id)."""
        name, ids, lines, current = spec.MESSAGES.name, array("q"), array("l"), None
        retry_keys = array("q")  # (sender, client_id) is unique: a retried send is one message
        with self.rows(spec.MESSAGES) as (at, rows):
            client_at = at.get("client_id")
            for line, row in rows:
                message_id, conversation_id = row[at["id"]], row[at["conversation_id"]]
                sender = row[at["sender_id"]]
                if not ID.match(message_id):
                    self.error(name, line, "id", f"{message_id!r} is not an id")
                    continue
                conversation = self._conversation(conversation_id, name, line)
                body = self.text(BODY, row[at["body"]], name, line, "body")
                created = self.time(row[at["created_at"]], name, line, "created_at")
                client_id = (row[client_at] if client_at is not None else "") or message_id
                if not CLIENT_ID.match(client_id):
                    self.error(name, line, "client_id", f"{client_id!r} is not a client id")
                if conversation is None or body is None or created is None:
                    continue
                if sender not in conversation.members:
                    self.error(
                        name,
                        line,
                        "sender_id",
                        f"{sender!r} is not a participant of {conversation_id!r}",
                    )
                    continue
                if conversation_id != current and conversation.last_seq:
                    self.error(
                        name,
                        line,
                        "conversation_id",
                        "its messages are not together: "
                        "order the export by conversation_id, then created_at",
                    )
                    continue
                if conversation.last_at is not None and created < conversation.last_at:
                    self.error(
                        name,
                        line,
                        "created_at",
                        "is before the previous message of "
                        "its conversation: order by conversation_id, then created_at",
                    )
                    continue
                current = conversation_id
                conversation.last_seq += 1
                conversation.last_at = created
                self.staged.multiline = self.staged.multiline or "\n" in body or "\r" in body
                ids.append(hash(message_id))
                retry_keys.append(hash((sender, client_id)))
                lines.append(line)
                self.write(
                    "Message",
                    (
                        message_id,
                        conversation_id,
                        conversation.last_seq,
                        sender,
                        client_id,
                        body,
                        created,
                    ),
                )
                self.write("SENT", (sender, message_id))
                self.write("IN", (message_id, conversation_id))
        self.duplicates(ids, lines, name, "id")
        self.duplicates(retry_keys, lines, name, "client_id")

    def settle_conversations(self) -> None:
        """Pair keys, last activity, the members' markers, list keys and badge shares."""
        pairs: dict[str, int] = {}
        for conversation_id, c in self.conversations.items():
            if c.kind == "direct" and len(c.members) != 2:
                self.error(
                    spec.CONVERSATIONS.name,
                    c.line,
                    "kind",
                    f"a direct conversation has 2 participants; this one has {len(c.members)}",
                )
                continue
            if not c.members:
                self.error(spec.CONVERSATIONS.name, c.line, "id", "has no participants")
                continue
            pair_key = ":".join(sorted(c.members)) if c.kind == "direct" else None
            if pair_key is not None:
                if pair_key in pairs:
                    self.error(
                        spec.CONVERSATIONS.name,
                        c.line,
                        "id",
                        f"is a second direct conversation of the pair on line {pairs[pair_key]}",
                    )
                    continue
                pairs[pair_key] = c.line
                self.outside_pairs.append(("pair_key", pair_key, spec.CONVERSATIONS.name, c.line))
            self.write(
                "Conversation",
                (conversation_id, c.kind, c.title, pair_key, c.created_at, c.last_seq, c.last_at),
            )
        badges: dict[str, list[int]] = {}
        for c, user_id, joined, read, delivered, marked, hidden, line in self.participants:
            read = c.last_seq if read is None else read  # no marker exported: all was read
            if read > c.last_seq:
                self.error(
                    spec.PARTICIPANTS.name,
                    line,
                    "read_seq",
                    f"is {read}, past the conversation's {c.last_seq} message(s)",
                )
                continue
            delivered = min(max(read, delivered or 0), c.last_seq)
            listed_at = None if hidden else (c.last_at or c.created_at)
            self.write(
                "PARTICIPATES",
                (
                    user_id,
                    c.id,
                    user_id,
                    joined,
                    read,
                    delivered,
                    str(marked).lower(),
                    str(hidden).lower(),
                    listed_at,
                ),
            )
            if not hidden and (c.last_seq > read or marked):
                badge = badges.setdefault(user_id, [0, 0])
                badge[0] += 1
                badge[1] += c.last_seq - read
        self.badges = badges

    def settle_outside(self) -> None:
        """Online import: what the rows point at outside the export must be in the
        database, and nothing the export defines may be there already."""
        unresolved = {kind: dict(ids) for kind, ids in self.outside.items()}
        if self.existing is not None:
            for kind, ids in self.outside.items():
                for found in self.existing(kind, list(ids)):
                    unresolved[kind].pop(found, None)
            self._conflicts()
        for kind, ids in unresolved.items():
            what = "user" if kind == "user_id" else "producer"
            where = "in the database or in " if self.existing is not None else "in "
            for value in ids:
                file, line, column = self.first_use[(kind, value)]
                self.error(file, line, column, f"{value!r} is no {what} {where}{what}s.csv")
        self.staged.outside_badges = {
            user_id: badge for user_id, badge in self.badges.items() if user_id not in self.users
        }

    def _conflicts(self) -> None:
        assert self.existing is not None
        checks: list[tuple[str, dict[str, tuple[str, int, str]]]] = [
            ("user_id", {r[0]: (spec.USERS.name, r[-1], "id") for r in self.user_rows}),
            ("username_key", {r[2]: (spec.USERS.name, r[-1], "username") for r in self.user_rows}),
            (
                "conversation_id",
                {k: (spec.CONVERSATIONS.name, c.line, "id") for k, c in self.conversations.items()},
            ),
        ]
        for kind, key, file, line in self.outside_pairs:
            column = (
                "id"
                if kind == "pair_key"
                else "followee_id"
                if kind == "follows_key"
                else "producer_id"
            )
            checks.append((kind, {key: (file, line, column)}))
        for kind, where in checks:
            for found in self.existing(kind, list(where)):
                file, line, column = where[found]
                self.error(file, line, column, f"{found!r} is already in the database")

    def write_users(self) -> None:
        for row in self.user_rows:
            badge = self.badges.get(row[0], (0, 0))
            self.write("User", (*row[:-1], badge[0], badge[1]))


def cell(row: list[str], index: int | None) -> str:
    """An optional column's value ('' when the export has no such column)."""
    return row[index] if index is not None else ""
