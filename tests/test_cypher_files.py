"""Every query file loads, plans, and declares a mode that matches what it does."""

import re
import sys

import pytest
from neo4j.exceptions import ConstraintError

from cypher import Q, Query, QueryFileError, load_queries

WRITE_CLAUSE = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DETACH|FOREACH|LOAD\s+CSV)\b", re.I)


@pytest.mark.parametrize("query", Q.all(), ids=lambda query: query.name)
def test_every_query_plans(test_graph, query):
    """EXPLAIN accepts each statement (syntax, labels and functions are valid)."""
    with test_graph.driver.session(database=test_graph.database) as session:
        session.run("EXPLAIN " + query.text).consume()


@pytest.mark.parametrize("query", [q for q in Q.all() if q.mode == "read"], ids=lambda q: q.name)
def test_read_queries_do_not_write(query):
    """A file routed to readers never holds a write clause (a cluster would reject it)."""
    assert not WRITE_CLAUSE.search(query.text), f"{query.name} is marked read but writes"


def _package(tmp_path, files):
    root = tmp_path / "badcypher"
    (root / "area").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    for name, text in files.items():
        (root / "area" / name).write_text(text)
    sys.path.insert(0, str(tmp_path))
    return "badcypher"


@pytest.mark.parametrize(
    "files, message",
    [
        ({"empty.cypher": ""}, "empty"),
        ({"nomode.cypher": "// does nothing\nRETURN 1"}, "mode"),
        ({"badmode.cypher": "// mode: maybe\nRETURN 1"}, "mode"),
        ({"Bad-Name.cypher": "// mode: read\nRETURN 1"}, "name"),
        ({"comments.cypher": "// mode: read\n// only comments"}, "no statement"),
    ],
)
def test_loader_fails_fast_on_a_bad_file(tmp_path, files, message):
    """A broken query file stops start-up with the file's name, not a failure at request time."""
    package = _package(tmp_path, files)
    try:
        with pytest.raises(QueryFileError, match=message):
            load_queries(package)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(package, None)


def test_a_missing_query_is_named(tmp_path):
    """Asking for a query that has no file names the file it expected."""
    with pytest.raises(QueryFileError, match="cypher/users/no_such_query.cypher"):
        _ = Q.users.no_such_query


def test_queries_load_as_attributes_with_their_mode():
    """Queries are reached as attributes and carry the mode the runner routes by."""
    assert Q.users.create_user.mode == "write"
    assert Q.users.find_user_id.mode == "read"
    assert "//" not in Q.users.create_user.text


def test_message_retry_key_is_unique(graph):
    """The graph itself refuses a second message with the same sender and client_id."""
    create = Query(
        "test.create_message",
        "CREATE (:Message {id: $id, sender_id: 's', client_id: 'c', conversation_id: 'x', "
        "seq: 1, body: 'hi', created_at: datetime()})",
        "write",
    )
    graph.run(create, id="m1")
    with pytest.raises(ConstraintError):
        graph.run(create, id="m2")


def test_follow_key_is_unique(graph, api):
    """The graph refuses a second FOLLOWS edge for the same pair."""
    a, b = api.create_user("alpha"), api.create_user("bravo")
    create = Query(
        "test.create_follow",
        "MATCH (a:User {id: $a}), (b:User {id: $b}) "
        "CREATE (a)-[:FOLLOWS {key: $a + '>' + $b, since: datetime()}]->(b)",
        "write",
    )
    graph.run(create, a=a["id"], b=b["id"])
    with pytest.raises(ConstraintError):
        graph.run(create, a=a["id"], b=b["id"])
