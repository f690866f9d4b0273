"""Reading Neo4j query plans in tests: which operators a statement would run, and what it
costs in db hits (for growth tests: the same statement at two sizes of what could grow)."""

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
    """Run the statement under PROFILE (writes included) and total its db hits."""

    def work(tx):
        return tx.run("PROFILE " + text, params).consume().profile

    with graph.driver.session(database=graph.database) as session:
        profile = session.execute_write(work)

    def total(node: dict) -> int:
        return node.get("dbHits", 0) + sum(total(child) for child in node.get("children", []))

    return total(profile)


def forget_plans(graph: Graph) -> None:
    """Drop Neo4j's cached plans, so the next statement is planned against the graph as it
    is now. A growth test measures each size with such a plan: a plan cached at the small
    size can hide what the planner does once the graph is big (and the reverse)."""
    with graph.driver.session(database=graph.database) as session:
        session.run("CALL db.clearQueryCaches()").consume()
