"""Reading Neo4j query plans in tests: which operators a statement would run."""

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
