"""Every Cypher statement beatgraph runs, loaded once from `cypher/<area>/<name>.cypher`.

Each file holds one statement and begins with `//` comment lines that say what it does,
its parameters, what it returns, and `// mode: read`, `// mode: write` or
`// mode: schema`. The runner in `graph.db` routes each statement by that mode (a read
to a reader, anything else to the leader), so a Neo4j cluster runs it in the right place.

Use as attributes: `from cypher import Q; Q.follows.follow_user`.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Literal

Mode = Literal["read", "write", "schema"]
_MODE_LINE = re.compile(r"^//\s*mode:\s*(\w+)\s*$", re.MULTILINE)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class QueryFileError(RuntimeError):
    """A query file is missing, empty, badly named or lacks a valid mode line."""


@dataclass(frozen=True)
class Query:
    """One named, parameterised Cypher statement."""

    name: str
    text: str
    mode: Mode


class QueryArea:
    """The queries of one area (`Q.messaging`), as attributes."""

    def __init__(self, area: str, queries: dict[str, Query]) -> None:
        self._area = area
        self._queries = queries
        for name, query in queries.items():
            setattr(self, name, query)

    def __iter__(self) -> Iterator[Query]:
        return iter(self._queries.values())

    def __getattr__(self, name: str) -> Query:
        raise QueryFileError(f"no query file cypher/{self._area}/{name}.cypher")


class Queries:
    """All areas (`Q.social`, `Q.messaging`, ...)."""

    def __init__(self, areas: dict[str, QueryArea]) -> None:
        self._areas = areas
        for name, area in areas.items():
            setattr(self, name, area)

    def all(self) -> list[Query]:
        """Every loaded query, for tests and start-up checks."""
        return [query for area in self._areas.values() for query in area]

    def __getattr__(self, name: str) -> QueryArea:
        raise QueryFileError(f"no query folder cypher/{name}/")


def _parse(name: str, text: str) -> Query:
    if not text.strip():
        raise QueryFileError(f"cypher/{name.replace('.', '/')}.cypher is empty")
    modes = _MODE_LINE.findall(text)
    if len(modes) != 1 or modes[0] not in ("read", "write", "schema"):
        raise QueryFileError(
            f"cypher/{name.replace('.', '/')}.cypher needs exactly one "
            "'// mode: read|write|schema' line"
        )
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    if not body.strip():
        raise QueryFileError(f"cypher/{name.replace('.', '/')}.cypher has no statement")
    return Query(name=name, text=body.strip(), mode=modes[0])


def load_queries(package: str = "cypher") -> Queries:
    """Load every `.cypher` file of the installed package, failing fast on a bad one."""
    root = resources.files(package)
    areas: dict[str, QueryArea] = {}
    for folder in sorted(root.iterdir(), key=lambda entry: entry.name):
        if not folder.is_dir() or folder.name.startswith("_"):
            continue
        if not _NAME.match(folder.name) or hasattr(Queries, folder.name):
            raise QueryFileError(f"cypher/{folder.name}/ is not a usable area name")
        queries: dict[str, Query] = {}
        for entry in sorted(folder.iterdir(), key=lambda item: item.name):
            if not entry.name.endswith(".cypher"):
                continue
            stem = entry.name[: -len(".cypher")]
            if not _NAME.match(stem):
                raise QueryFileError(f"cypher/{folder.name}/{entry.name} is not a valid name")
            if hasattr(QueryArea, stem):
                raise QueryFileError(f"cypher/{folder.name}/{entry.name} shadows a loader name")
            queries[stem] = _parse(f"{folder.name}.{stem}", entry.read_text(encoding="utf-8"))
        if queries:
            areas[folder.name] = QueryArea(folder.name, queries)
    if not areas:
        raise QueryFileError(f"no .cypher files found in package {package!r}")
    return Queries(areas)


Q = load_queries()
