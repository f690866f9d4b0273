"""The app class: flask-openapi3's `OpenAPI` with a cheaper test for async functions.

Flask hands every hook, view and error handler of a request to `ensure_sync`, which asks
`inspect.iscoroutinefunction` whether it is `async def`: about 17 times per request here,
~1 µs each in a tight loop and 10-25 µs a request on this box when each call follows a
wait on Neo4j (docs/benchmarks.md, "Four small cuts to the request path"). A function or a
bound method carries the answer in its code object's flags; only other callables
(partials, callable objects) take Flask's own path.
"""

from collections.abc import Callable
from inspect import CO_COROUTINE
from typing import Any

from flask_openapi3 import OpenAPI


class BeatgraphApp(OpenAPI):
    """The WSGI app `server.factory.create_app` builds."""

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """`func` itself when it is a plain `def` function or method; otherwise Flask's
        answer (an `async def` is wrapped to run to completion, or refused without the
        `async` extra)."""
        code = getattr(func, "__code__", None)  # a bound method forwards to its function's
        if code is not None and not code.co_flags & CO_COROUTINE:
            return func
        return super().ensure_sync(func)
