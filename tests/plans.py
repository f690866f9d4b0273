"""Reading Neo4j query plans in tests: which operators a statement would run, and what it
costs in db hits (for growth tests: the same statement at two sizes of what could grow)."""

import time

from graph.db import Graph


def plan_operators(graph: Graph, text: str) -> list[str]:
    """The operator names of the statement's EXPLAIN plan, depth first."""
    with graph.driver.session(database=graph.database) as session:
        plan = session.run("EXPLAIN " + text).consume().plan
    found: list[str] = []

    def walk(node: dict) -> None:
        found.append(node["operatorType"].split("@")[0])
        for child in node.get("children", []):
            walk(child)

    walk(plan)
    return found


def db_hits(graph: Graph, text: str, **params: object) -> int:
    """Run the statement under PROFILE (writes included) and total its db hits. The plan
    goes to stdout, which pytest shows when the test fails: a growth test that fails once
    in many runs says which operator grew."""

    def work(tx):
        return tx.run("PROFILE " + text, params).consume().profile

    with graph.driver.session(database=graph.database) as session:
        profile = session.execute_write(work)

    def total(node: dict) -> int:
        return node.get("dbHits", 0) + sum(total(child) for child in node.get("children", []))

    hits = total(profile)
    print(f"{hits} db hits:\n{_plan_lines(profile)}")
    return hits


def _plan_lines(node: dict, depth: int = 0) -> str:
    details = node.get("args", {}).get("Details", "")
    line = f"{'  ' * depth}{node['operatorType']} {node.get('dbHits', 0)} {details}"[:240]
    return "\n".join([line, *(_plan_lines(child, depth + 1) for child in node.get("children", []))])


def forget_plans(graph: Graph) -> None:
    """Drop Neo4j's cached plans, so the next statement is planned against the graph as it
    is now. A growth test measures each size with such a plan: a plan cached at the small
    size can hide what the planner does once the graph is big (and the reverse)."""
    with graph.driver.session(database=graph.database) as session:
        session.run("CALL db.clearQueryCaches()").consume()


def sample_indexes_now(graph: Graph, timeout: float = 30.0) -> None:
    """Resample every index and wait until Neo4j's statistics show it. Called on an empty
    graph, it leaves the planner the worst statistics there are: an index sampled while
    empty, to which rows are then added, looks as cheap to scan whole as to seek."""
    with graph.driver.session(database=graph.database) as session:
        for record in session.run("SHOW INDEXES YIELD name, type WHERE type = 'RANGE' RETURN name"):
            session.run("CALL db.resampleIndex($name)", name=record["name"]).consume()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            indexes = session.run(
                "CALL db.stats.retrieve('GRAPH COUNTS') YIELD data RETURN data.indexes AS i"
            ).single(strict=True)["i"]
            if all(index["updatesSinceEstimation"] == 0 for index in indexes):
                return
            time.sleep(0.05)
    raise AssertionError(f"the indexes were not resampled within {timeout} s")
