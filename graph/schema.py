"""Installs the schema: neomodel's constraints and indexes, then the composite ones; and
backfills what later versions keep up to date (the message badge counters)."""

import io

from neomodel import db as neomodel_db
from neomodel import get_config

from cypher import Q
from graph import models  # noqa: F401  (registers every class with neomodel)
from graph.db import Graph

REQUIRED_CONSTRAINTS = (
    "constraint_unique_User_id",
    "constraint_unique_FOLLOWS_key",
    "constraint_unique_FollowNotice_key",
    "message_sender_client_unique",
)


def bind_neomodel(graph: Graph) -> None:
    """Make neomodel use the process's driver, so there is one pool, not two."""
    settings = get_config()
    settings.database_name = graph.database
    settings.driver = graph.driver
    neomodel_db.set_connection(driver=graph.driver)


def apply_schema(graph: Graph) -> str:
    """Create every constraint and index that is missing (idempotent); return the log."""
    bind_neomodel(graph)
    out = io.StringIO()
    neomodel_db.install_all_labels(stdout=out)
    for query in Q.schema:
        if query.mode == "schema":
            graph.run(query)
            out.write(f" + {query.name}\n")
    return out.getvalue()


def schema_is_applied(graph: Graph) -> bool:
    """Whether the constraints the service relies on exist."""
    names = {record["name"] for record in graph.run(Q.schema.list_constraints)}
    return all(name in names for name in REQUIRED_CONSTRAINTS)


BACKFILL_BATCH = 500


def backfill_messaging_counters(graph: Graph, batch: int = BACKFILL_BATCH) -> int:
    """Give every user made before the badge was kept its counters and list keys, a batch
    of users per transaction (idempotent: counted users are passed over); return how many
    users were counted."""
    after_id, counted = "", 0
    while True:  # ends: each batch moves after_id forward, and a short batch is the last
        record = graph.single(
            Q.migrations.backfill_messaging_counters, after_id=after_id, batch=batch
        )
        assert record is not None
        counted += int(record["counted"])
        if record["seen"] < batch:
            return counted
        after_id = str(record["last_id"])
