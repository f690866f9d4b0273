"""The errors gunicorn answers itself, before the app sees the request (a request line
over 4 KB: 414, headers too large or too many: 431, a garbled request: 400), written as
problem documents like every other error instead of gunicorn's HTML page.

gunicorn has no setting for this: its worker calls `gunicorn.util.write_error` for each,
so each worker process replaces that one function (`install`, from gunicorn_conf.py).
"""

import json
from typing import Any

from gunicorn import util

from api.errors import PROBLEM_TYPE


def write_problem(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's `write_error`, answering application/problem+json."""
    body = json.dumps(
        {"type": PROBLEM_TYPE, "title": reason, "status": status_int, "detail": mesg or reason}
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def install() -> None:
    """Make this process's gunicorn write its own errors as problem documents."""
    util.write_error = write_problem
