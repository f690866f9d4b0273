"""The layering, read from the source: the domain (`graph/`) knows nothing of HTTP or
sockets, and the API and the realtime channel never import each other."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(module: Path) -> set[str]:
    """Every module name `module` imports, at any depth (functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(), str(module))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _offending(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for module in sorted((ROOT / package).rglob("*.py")):
        bad = sorted(
            name
            for name in _imports(module)
            if any(name == top or name.startswith(top + ".") for top in forbidden)
        )
        if bad:
            found[str(module.relative_to(ROOT))] = bad
    return found


def test_the_domain_imports_nothing_from_http_or_realtime():
    """No module of graph/ imports flask, flask_sock, werkzeug, api, realtime or server:
    domain functions record events and are told presence, they never reach for either."""
    forbidden = ("flask", "flask_openapi3", "flask_sock", "werkzeug", "api", "realtime", "server")
    assert _offending("graph", forbidden) == {}


def test_the_query_runner_holds_no_publisher_or_presence():
    """`Graph` runs statements only: events go out through the unit of work's after-commit
    step, presence is asked by the caller (graph.events)."""
    from graph.db import Graph

    held = {"publish", "publish_once", "online", "set_publisher", "set_presence"}
    assert held & set(dir(Graph)) == set()


def test_the_api_never_imports_the_realtime_channel():
    """`api/` reaches the relay and presence only through the names the app factory gives
    them (api.context); the socket route reuses api.errors' status mapping for its error
    frames, as STYLE.md asks, and nothing else of api/."""
    assert _offending("api", ("realtime",)) == {}
    assert _offending("realtime", ("api",)) == {"realtime/channel.py": ["api.errors"]}


def test_the_checker_sees_an_import_inside_a_function(tmp_path):
    """The import reader finds imports however deep, so a lazy import cannot hide."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from flask import g\n    import realtime.relay\n")
    assert _imports(module) == {"flask", "realtime.relay"}


def test_the_domain_holds_no_web_path():
    """A deep link is how the web client opens a conversation, not a rule: graph/ says which
    conversation, api.links says where it opens."""
    paths = {
        str(module.relative_to(ROOT))
        for module in (ROOT / "graph").rglob("*.py")
        if "/messages?" in module.read_text()
    }
    assert paths == set()
