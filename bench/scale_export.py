"""A synthetic BeatPass export with power-law degrees, written as `flask import` reads it.

BIG is the issue's BeatPass size (1M users, 20M follows, 2M likes over 50k producers of
which one has every user as a liker, 500k conversations, 5M messages); SMALL is the same
shape at 1/100. Degrees follow power laws: followee, DM partner and liked producer are
drawn as `n * r**k` for uniform r, so user u0 is the largest account and the busiest
chatter. Fixed seed: the same files every time; cached under var/scale/<name>/.

Run alone: `.venv/bin/python -m bench.scale_export big` (prints where it wrote).
"""

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EPOCH = np.datetime64("2021-01-01T00:00:00", "s")
CHUNK = 1_000_000
GROUP_SHARE = 10  # one conversation in ten is a group


@dataclass(frozen=True)
class Scale:
    """The size of one synthetic export."""

    name: str
    users: int
    follows: int
    producers: int
    likes: int
    conversations: int
    messages: int

    @property
    def folder(self) -> Path:
        return ROOT / "var" / "scale" / self.name


BIG = Scale("big", 1_000_000, 20_000_000, 50_000, 2_000_000, 500_000, 5_000_000)
SMALL = Scale("small", 10_000, 200_000, 500, 20_000, 5_000, 50_000)


def times(seconds: np.ndarray) -> list[str]:
    """ISO 8601 UTC text for second offsets from EPOCH."""
    stamps = np.datetime_as_string(EPOCH + seconds.astype("timedelta64[s]"), unit="s")
    return [stamp + "Z" for stamp in stamps.tolist()]


def write(path: Path, header: str, lines: Iterable[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for line in lines:
            handle.write(line)


def unique_pairs(a: np.ndarray, b: np.ndarray, base: int, want: int, rng: np.random.Generator):
    """`want` distinct (a, b) pairs (a random subset when there are more)."""
    codes = np.unique(a.astype(np.int64) * base + b)
    if len(codes) > want:
        codes = np.sort(rng.choice(codes, want, replace=False))
    return codes // base, codes % base


def users_file(scale: Scale, folder: Path) -> None:
    def lines() -> Iterable[str]:
        for start in range(0, scale.users, CHUNK):
            ids = range(start, min(start + CHUNK, scale.users))
            stamps = times(np.arange(ids.start, ids.stop) * 60)
            yield "".join(f"u{i},user{i},User {i},{t}\n" for i, t in zip(ids, stamps, strict=True))

    write(folder / "users.csv", "id,username,display_name,created_at", lines())


def follows_file(scale: Scale, folder: Path, rng: np.random.Generator) -> None:
    n = int(scale.follows * 1.1)
    follower = rng.integers(0, scale.users, n)
    followee = (scale.users * rng.random(n) ** 3).astype(np.int64)  # u0: ~1/cbrt(users)
    keep = follower != followee
    a, b = unique_pairs(follower[keep], followee[keep], scale.users, scale.follows, rng)
    since = rng.integers(10_000_000, 150_000_000, len(a))

    def lines() -> Iterable[str]:
        for start in range(0, len(a), CHUNK):
            part = slice(start, start + CHUNK)
            rows = zip(a[part].tolist(), b[part].tolist(), times(since[part]), strict=True)
            yield "".join(f"u{x},u{y},{t}\n" for x, y, t in rows)

    write(folder / "follows.csv", "follower_id,followee_id,since", lines())


def producers_files(scale: Scale, folder: Path, rng: np.random.Generator) -> None:
    stamps = times(np.arange(scale.producers) * 600)
    write(
        folder / "producers.csv",
        "id,slug,name,user_id,created_at",
        (
            f"p{j},prod-{j},Producer {j},u{(j * 13 + 1) % scale.users},{stamps[j]}\n"
            for j in range(scale.producers)
        ),
    )
    write(
        folder / "beats.csv",
        "id,producer_id,title,created_at",
        (
            f"b{j}-{k},p{j},Beat {k} of {j},{stamps[j][:-1]}.{k:03d}Z\n"
            for j in range(scale.producers)
            for k in range(2)
        ),
    )
    # p0 is liked by every user; the other likes go to the other producers by a power law.
    rest = scale.likes - scale.users
    n = int(rest * 1.2)
    user = rng.integers(0, scale.users, n)
    producer = 1 + ((scale.producers - 1) * rng.random(n) ** 2).astype(np.int64)
    a, b = unique_pairs(user, producer, scale.producers, rest, rng)
    a = np.concatenate([np.arange(scale.users), a])
    b = np.concatenate([np.zeros(scale.users, dtype=np.int64), b])
    since = rng.integers(10_000_000, 150_000_000, len(a))

    def lines() -> Iterable[str]:
        for start in range(0, len(a), CHUNK):
            part = slice(start, start + CHUNK)
            rows = zip(a[part].tolist(), b[part].tolist(), times(since[part]), strict=True)
            yield "".join(f"u{x},p{y},{t}\n" for x, y, t in rows)

    write(folder / "likes.csv", "user_id,producer_id,since", lines())


def conversation_files(scale: Scale, folder: Path, rng: np.random.Generator) -> None:
    """Direct conversations (u0 in the most), groups (the first of 50 members), and messages
    by a power law (conversation 0, u0's DM with u1, holds a fifth of them)."""
    groups = scale.conversations // GROUP_SHARE
    directs = scale.conversations - groups
    n = int(directs * 1.2)
    a = (scale.users * rng.random(n) ** 4).astype(np.int64)
    b = rng.integers(0, scale.users, n)
    keep = a != b
    low, high = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    low, high = unique_pairs(low, high, scale.users, directs - 1, rng)
    not_first = ~((low == 0) & (high == 1))
    low, high = np.concatenate([[0], low[not_first]]), np.concatenate([[1], high[not_first]])
    members: list[list[int]] = [[x, y] for x, y in zip(low.tolist(), high.tolist(), strict=True)]
    directs = len(members)
    for g in range(groups):
        size = 50 if g == 0 else int(rng.integers(3, 11))
        chosen = {0} if g == 0 else {int(scale.users * rng.random() ** 4)}
        while len(chosen) < size:
            chosen.add(int(rng.integers(0, scale.users)))
        members.append(sorted(chosen))
    total = len(members)
    created = np.sort(rng.integers(100_000_000, 150_000_000, total))
    weights = 1.0 / (np.arange(1, total) + 10.0)
    top = scale.messages // 5
    counts = np.concatenate([[top], rng.multinomial(scale.messages - top, weights / weights.sum())])
    stamps = times(created)
    write(
        folder / "conversations.csv",
        "id,kind,title,created_at",
        (
            f"c{i},{'direct' if i < directs else 'group'},"
            f"{'' if i < directs else f'Group {i}'},{stamps[i]}\n"
            for i in range(total)
        ),
    )
    behind = rng.random(sum(len(m) for m in members)) < 0.1  # a tenth have unread messages

    def participant_lines() -> Iterable[str]:
        k = 0
        for i, group in enumerate(members):
            for user in group:
                read = f"{max(0, int(counts[i]) - 3)}" if behind[k] else ""
                k += 1
                yield f"c{i},u{user},{stamps[i]},{read}\n"

    write(
        folder / "participants.csv",
        "conversation_id,user_id,joined_at,read_seq",
        participant_lines(),
    )

    def message_lines() -> Iterable[str]:
        serial = 0
        for i, count in enumerate(counts.tolist()):
            if not count:
                continue
            senders = members[i][:2]
            picks = rng.integers(0, 2, count).tolist()
            sent = times(created[i] + 1 + np.arange(count))
            yield "".join(
                f"m{serial + s},c{i},u{senders[picks[s]]},message {s} in {i},{sent[s]}\n"
                for s in range(count)
            )
            serial += count

    write(folder / "messages.csv", "id,conversation_id,sender_id,body,created_at", message_lines())


def generate(scale: Scale) -> Path:
    """Write the export once (kept in var/scale/<name>; a `.done` file marks it whole)."""
    folder = scale.folder
    if (folder / ".done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261202)
    started = time.perf_counter()
    users_file(scale, folder)
    follows_file(scale, folder, rng)
    producers_files(scale, folder, rng)
    conversation_files(scale, folder, rng)
    (folder / ".done").write_text(f"{time.perf_counter() - started:.1f} s\n")
    return folder


if __name__ == "__main__":
    chosen = {"big": BIG, "small": SMALL}[sys.argv[1] if len(sys.argv) > 1 else "small"]
    started = time.perf_counter()
    print(generate(chosen), f"{time.perf_counter() - started:.1f} s")
