"""The app class's own change to Flask: how it tells `def` handlers from `async def`."""

import pytest
from flask import request

from server.application import BeatgraphApp


def _app() -> BeatgraphApp:
    app = BeatgraphApp("application-test")
    app.testing = True

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"pong": True}

    return app


def test_plain_functions_and_methods_run_as_hooks_and_views():
    app = _app()

    class Seen:
        def __init__(self) -> None:
            self.paths: list[str] = []

        def record(self) -> None:
            self.paths.append(request.path)

    seen = Seen()
    app.before_request(seen.record)
    app.after_request(lambda response: response.headers.set("X-Hooked", "yes") or response)

    response = app.test_client().get("/ping")

    assert response.get_json() == {"pong": True}
    assert response.headers["X-Hooked"] == "yes"
    assert seen.paths == ["/ping"]


def test_an_async_hook_goes_to_flask_which_refuses_it_without_the_async_extra():
    """Not silently called without being awaited (its coroutine would pass for a response)."""
    app = _app()

    async def hook() -> None:
        return None

    app.before_request(hook)

    with pytest.raises(RuntimeError, match="async"):
        app.test_client().get("/ping")
