"""The query runner: one Neo4j driver per process, one managed transaction per statement.

Statements of one unit of work (an HTTP request, a socket frame) run in separate sessions,
so on a cluster each may reach a different member. A causal chain gives them one bookmark
manager: every session starts from the bookmarks of the earlier ones, so a read after a
write in the same request sees that write wherever it runs.
"""

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j.api import BookmarkManager
from neo4j.exceptions import ConstraintError, ServiceUnavailable, SessionExpired

from cypher import Query
from graph.errors import Unavailable

T = TypeVar("T")


def once_more_on_conflict(attempt: Callable[[], T]) -> T:
    """The one retry for racing creators of one unique thing (a MERGEd edge, a message's
    `(sender_id, client_id)`): when a concurrent transaction committed it first, our
    uniqueness constraint fails, and running the same idempotent statement once more now
    finds theirs. The driver does not retry a ConstraintError itself: it is not transient."""
    try:
        return attempt()
    except ConstraintError:
        return attempt()


class RoundTripCounter:
    """Counts statements sent to Neo4j, so a test can catch an N+1 traversal."""

    def __init__(self) -> None:
        self.count = 0
        self.names: list[str] = []


class Transaction:
    """The statements of one managed transaction (a unit of work of more than one)."""

    def __init__(self, graph: "Graph", tx: neo4j.ManagedTransaction) -> None:
        self._graph = graph
        self._tx = tx

    def run(self, query: Query, **params: Any) -> list[neo4j.Record]:
        """Run one statement inside the transaction; every record."""
        self._graph._count(query)
        return list(self._tx.run(query.text, params))

    def single(self, query: Query, **params: Any) -> neo4j.Record | None:
        """Run one statement inside the transaction; its first record, if any."""
        records = self.run(query, **params)
        return records[0] if records else None


class Graph:
    """Runs named queries in managed transactions routed by their mode (read or write).

    Created once per process by the app factory; domain functions receive it and never
    hold a session themselves. It knows nothing of events or presence: those belong to
    the unit of work (`graph.events.UnitOfWork`) and its after-commit step.
    `crash_after_commit` is the fault tests' switch, read by that step.
    """

    def __init__(
        self, driver: neo4j.Driver, database: str, crash_after_commit: bool = False
    ) -> None:
        self.driver = driver
        self.database = database
        self.crash_after_commit = crash_after_commit
        self._counters = threading.local()
        self._chain = threading.local()  # gevent patches this to one per greenlet

    @classmethod
    def connect(cls, config: dict[str, Any]) -> "Graph":
        """Make the process's driver from configuration (does not contact the server)."""
        driver = neo4j.GraphDatabase.driver(
            config["NEO4J_URI"],
            auth=(config["NEO4J_USER"], config["NEO4J_PASSWORD"]),
            connection_timeout=config["NEO4J_CONNECTION_TIMEOUT"],
            connection_acquisition_timeout=config["NEO4J_ACQUISITION_TIMEOUT"],
            max_transaction_retry_time=config["NEO4J_TRANSACTION_RETRY_SECONDS"],
            notifications_min_severity="OFF",
        )
        crash = config["BEATGRAPH_ENV"] == "test" and config["BEATGRAPH_TEST_CRASH_AFTER_COMMIT"]
        return cls(driver, config["NEO4J_DATABASE"], crash_after_commit=crash)

    def close(self) -> None:
        """Close the driver and its pool (at process shutdown)."""
        self.driver.close()

    # -- running queries -------------------------------------------------------

    def run(self, query: Query, **params: Any) -> list[neo4j.Record]:
        """Run one statement in its own managed transaction and return every record.

        `execute_query` is the driver's `execute_read`/`execute_write` for one statement
        (the same retried transaction function, routed to a reader or the leader by
        `routing_`) with one round trip fewer: it sends BEGIN with the statement instead
        of waiting for BEGIN's answer first (docs/benchmarks.md, "One round trip fewer")."""
        self._count(query)
        try:
            records, _, _ = self.driver.execute_query(
                query.text,
                params,
                routing_=(
                    neo4j.RoutingControl.READ
                    if query.mode == "read"
                    else neo4j.RoutingControl.WRITE  # writes and schema go to the leader
                ),
                database_=self.database,
                bookmark_manager_=(
                    self._chain_so_far() if query.mode == "read" else self.bookmark_manager()
                ),
            )
        except (ServiceUnavailable, SessionExpired) as exc:
            raise Unavailable(f"the graph database does not answer ({exc})") from exc
        return records

    # -- causal chains -------------------------------------------------------------

    def start_chain(self) -> None:
        """From now on this thread's statements read what its earlier ones wrote (a new
        chain: nothing waits for the work of other requests)."""
        self._chain.active = True
        self._chain.manager = None

    def end_chain(self) -> None:
        """Statements of this thread are no longer chained."""
        self._chain.active = False
        self._chain.manager = None

    def bookmark_manager(self) -> BookmarkManager | None:
        """The current chain's bookmark manager, for a write (None outside a chain). It is
        made at the chain's first write: until then the chain has nothing to wait for, and
        a read run without a manager skips the driver's bookmark bookkeeping (about a
        tenth of a millisecond per read, docs/benchmarks.md)."""
        if not getattr(self._chain, "active", False):
            return None
        if self._chain.manager is None:
            self._chain.manager = neo4j.GraphDatabase.bookmark_manager()
        manager: BookmarkManager = self._chain.manager
        return manager

    def _chain_so_far(self) -> BookmarkManager | None:
        """The manager a read starts from: the chain's, once it has written (else None)."""
        return getattr(self._chain, "manager", None)

    @contextmanager
    def causal_chain(self) -> Iterator[None]:
        """Chain the statements run inside the block; the chain around it, if any, resumes
        after it."""
        outer = (getattr(self._chain, "active", False), self._chain_so_far())
        self.start_chain()
        try:
            yield
        finally:
            self._chain.active, self._chain.manager = outer

    def single(self, query: Query, **params: Any) -> neo4j.Record | None:
        """Run a statement that returns at most one record."""
        records = self.run(query, **params)
        return records[0] if records else None

    def single_merging(self, query: Query, **params: Any) -> neo4j.Record | None:
        """`single` for a statement that MERGEs something unique (see `once_more_on_conflict`)."""
        return once_more_on_conflict(lambda: self.single(query, **params))

    def write_merging(self, work: Callable[[Transaction], T]) -> T:
        """`write` for a unit of work that creates something unique (see
        `once_more_on_conflict`)."""
        return once_more_on_conflict(lambda: self.write(work))

    def explain(self, query: Query, params: dict[str, Any]) -> None:
        """Plan a statement without running it (Neo4j caches the plan), routed by its mode."""

        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run("EXPLAIN " + query.text, params).consume()

        try:
            with self.driver.session(database=self.database) as session:
                if query.mode == "read":
                    session.execute_read(work)
                else:
                    session.execute_write(work)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise Unavailable(f"the graph database does not answer ({exc})") from exc

    def write(self, work: Callable[[Transaction], T]) -> T:
        """Run `work` in one managed write transaction (the driver may run it twice, so it
        must only run statements); its result once committed."""
        try:
            with self.driver.session(
                database=self.database, bookmark_manager=self.bookmark_manager()
            ) as session:
                return session.execute_write(lambda tx: work(Transaction(self, tx)))
        except (ServiceUnavailable, SessionExpired) as exc:
            raise Unavailable(f"the graph database does not answer ({exc})") from exc

    def write_joined(
        self, work: Callable[[Transaction], T], chains: Sequence[BookmarkManager | None]
    ) -> T:
        """`write` on behalf of several causal chains (a group commit): the transaction
        starts after every chain's writes, and each chain then reads what it wrote."""
        joint = neo4j.GraphDatabase.bookmark_manager(
            initial_bookmarks=neo4j.Bookmarks.from_raw_values(
                b for chain in chains if chain for b in chain.get_bookmarks()
            )
        )
        try:
            with self.driver.session(database=self.database, bookmark_manager=joint) as session:
                result = session.execute_write(lambda tx: work(Transaction(self, tx)))
        except (ServiceUnavailable, SessionExpired) as exc:
            raise Unavailable(f"the graph database does not answer ({exc})") from exc
        committed = joint.get_bookmarks()
        for chain in chains:
            if chain is not None:
                chain.update_bookmarks(chain.get_bookmarks(), committed)
        return result

    def _count(self, query: Query) -> None:
        counter: RoundTripCounter | None = getattr(self._counters, "active", None)
        if counter is not None:
            counter.count += 1
            counter.names.append(query.name)

    @contextmanager
    def count_round_trips(self) -> Iterator[RoundTripCounter]:
        """Count the statements this thread sends inside the block."""
        counter = RoundTripCounter()
        self._counters.active = counter
        try:
            yield counter
        finally:
            self._counters.active = None
