"""gunicorn settings: loopback only; gevent, chosen by measurement (docs/realtime.md).

One gevent worker holds every WebSocket as a greenlet: against gthread on this box it
completed 158 instead of 116 sends/s at an offered 200/s, and an idle socket costs
~52 KiB instead of ~80 KiB. The neo4j driver and redis-py run on gevent's patched sockets
and locks; the code never shares a session between greenlets, the same rule as for
threads. Run more worker processes (or hosts) for more sockets: the Redis relay reaches
sockets on any of them.
"""

import os
from typing import Any

bind = "127.0.0.1:8000"
# More worker processes for more sockets and more cores; each is a relay node of its own
# (docs/realtime.md), so a user's sockets may sit on any of them.
workers = int(os.environ.get("BEATGRAPH_WORKERS", "1"))
worker_class = "gevent"
worker_connections = 10000
timeout = 30
graceful_timeout = 10
accesslog = "-"
# Redacts `token` from logged URLs and keeps log files owner-only (server/access_log.py).
logger_class = "server.access_log.RedactingLogger"


def when_ready(server: Any) -> None:
    """Disable Nagle on the listening sockets (accepted sockets inherit it on Linux):
    gunicorn writes a response's head and body separately, and Nagle plus the client's
    delayed ACK otherwise adds ~40 ms to every small response."""
    import socket

    for listener in server.LISTENERS:
        listener.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def post_worker_init(worker: Any) -> None:
    """Errors gunicorn writes itself (414, 431, 400 before the app) are problem+json too;
    then the garbage collector is set for the loaded app (`server.heap`)."""
    from server.heap import settle_loaded_app
    from server.http_errors import install

    install()
    settle_loaded_app()
