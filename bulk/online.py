"""Loads staged rows into a running database with batched UNWIND writes.

Every batch is one transaction. If one fails (Neo4j stops, a user created meanwhile
takes an imported username), what the earlier batches wrote is removed again, so the
database is left as it was and the import is reported as failed, never half done.
"""

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.progress import Progress

from bulk import spec
from bulk.stage import Staged
from cypher import Q, Query
from graph.db import Graph

BATCH = 5_000  # rows per transaction: a few MB of parameters, well inside a 1 GB heap
LOOKUP_BATCH = 10_000

# Staging file, statement: nodes first, then the edges between them. Messages carry
# their SENT and IN edges themselves, so those two staging files are not read here.
STEPS = (
    ("User", Q.importing.create_users),
    ("Producer", Q.importing.create_producers),
    ("Beat", Q.importing.create_beats),
    ("CLAIMED_BY", Q.importing.link_claims),
    ("UPLOADED", Q.importing.link_uploads),
    ("FOLLOWS", Q.importing.create_follows),
    ("LIKES", Q.importing.create_likes),
    ("Conversation", Q.importing.create_conversations),
    ("PARTICIPATES", Q.importing.create_participations),
    ("Message", Q.importing.create_messages),
)
UNDO_NODES = (
    ("Message", Q.importing.undo_messages),
    ("Conversation", Q.importing.undo_conversations),
    ("Beat", Q.importing.undo_beats),
    ("Producer", Q.importing.undo_producers),
    ("User", Q.importing.undo_users),
)


class LoadFailed(Exception):
    """A batch failed; what the import had written was removed again."""


def existing_in(graph: Graph) -> Any:
    """The lookup bulk.stage asks: which of these values the database already holds."""

    def existing(kind: str, values: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(values), LOOKUP_BATCH):
            chunk = values[start : start + LOOKUP_BATCH]
            for record in graph.run(Q.importing.find_existing, kind=kind, values=chunk):
                found.add(record["value"])
        return found

    return existing


def _name(column: str) -> tuple[str, str]:
    """A staging header column as a parameter name and its type."""
    if column.startswith(":START_ID"):
        return "start", "string"
    if column.startswith(":END_ID"):
        return "end", "string"
    name, _, kind = column.partition(":")
    return name, "string" if kind.startswith("ID") or not kind else kind


def staged_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a staging file as statement parameters (empty is null)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        columns = [_name(column) for column in next(reader)]
        for row in reader:
            params: dict[str, Any] = {}
            for (name, kind), value in zip(columns, row, strict=True):
                if value == "":
                    params[name] = None
                elif kind == "long":
                    params[name] = int(value)
                elif kind == "boolean":
                    params[name] = value == "true"
                else:
                    params[name] = value
            yield params


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(graph: Graph, query: Query, **params: Any) -> None:
    with graph.driver.session(database=graph.database) as session:
        session.execute_write(lambda tx: tx.run(query.text, params).consume())


def load(graph: Graph, staged: Staged, progress: Progress) -> None:
    """Write every staged row; on any failure, undo and raise LoadFailed."""
    badges = [
        {"user_id": user_id, "conversations": badge[0], "messages": badge[1]}
        for user_id, badge in staged.outside_badges.items()
    ]
    badges_done = 0
    try:
        for kind, query in STEPS:
            count = staged.counts.get(kind, 0)
            if not count:
                continue
            task = progress.add_task(f"writing {kind}", total=count)
            for batch in _batches(staged_rows(staged.folder / spec.staging_name(kind))):
                _write(graph, query, rows=batch)
                progress.advance(task, len(batch))
        for start in range(0, len(badges), BATCH):
            _write(graph, Q.importing.add_badges, rows=badges[start : start + BATCH])
            badges_done = start + BATCH
    except Exception as exc:  # noqa: BLE001 - any failure is undone, then reported
        undo(graph, staged, badges[:badges_done], progress)
        raise LoadFailed(f"{type(exc).__name__}: {exc}; the imported rows were removed") from exc


def undo(graph: Graph, staged: Staged, badges: list[dict[str, Any]], progress: Progress) -> None:
    """Remove what a failed load wrote: its nodes by id (with their edges), its edges
    between users that were there before by key, and its share of their badges."""
    for row in badges:
        row["conversations"], row["messages"] = -row["conversations"], -row["messages"]
    for start in range(0, len(badges), BATCH):
        _write(graph, Q.importing.add_badges, rows=badges[start : start + BATCH])
    for kind, query in (("FOLLOWS", Q.importing.undo_follows), ("LIKES", Q.importing.undo_likes)):
        if staged.counts.get(kind):
            keys = [row["key"] for row in staged_rows(staged.folder / spec.staging_name(kind))]
            for start in range(0, len(keys), BATCH):
                _write(graph, query, keys=keys[start : start + BATCH])
    for kind, query in UNDO_NODES:
        count = staged.counts.get(kind, 0)
        if not count:
            continue
        task = progress.add_task(f"removing {kind}", total=count)
        ids = (row["id"] for row in staged_rows(staged.folder / spec.staging_name(kind)))
        batch: list[str] = []
        for value in ids:
            batch.append(value)
            if len(batch) == BATCH:
                _write(graph, query, ids=batch)
                progress.advance(task, len(batch))
                batch = []
        if batch:
            _write(graph, query, ids=batch)
            progress.advance(task, len(batch))
