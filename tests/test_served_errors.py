"""Errors gunicorn writes itself, before the app sees the request, are problem documents
too; and no request the schema calls valid comes near gunicorn's limits."""

import json
import socket
from urllib.parse import quote

GUNICORN_REQUEST_LINE_LIMIT = 4094  # gunicorn's default limit_request_line


def _raw_request(served, data: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        conn.sendall(data)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)
    }
    return int(status_line.split()[1]), headers, body


REFUSED_BY_GUNICORN = [
    (b"GET /api/v1/users/" + b"x" * 5000 + b" HTTP/1.1\r\nHost: t\r\n\r\n", 414),
    (b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"y" * 9000 + b"\r\n\r\n", 431),
    (b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + b"X-A: 1\r\n" * 150 + b"\r\n", 431),
    (b"NOT A REQUEST\r\n\r\n", 400),
]


def test_errors_gunicorn_answers_itself_are_problem_json(served):
    """A request line over 4 KB (414), headers too large or too many (431) and a garbled
    request (400) get application/problem+json with the status, not an HTML page."""
    for request_bytes, status in REFUSED_BY_GUNICORN:
        code, headers, body = _raw_request(served, request_bytes)
        assert code == status, request_bytes[:40]
        assert headers["content-type"] == "application/problem+json", body[:200]
        problem = json.loads(body)
        assert problem["status"] == status and problem["title"] and problem["detail"]


def _longest_value(schema: dict) -> str:
    """The longest value the schema accepts, in its widest characters (4-byte UTF-8 where
    any character is allowed, ASCII where a pattern restricts them)."""
    if schema.get("type") == "integer":
        return str(schema.get("maximum", 2**63 - 1))
    if "enum" in schema:
        return max(map(str, schema["enum"]), key=len)
    if "anyOf" in schema:
        return max((_longest_value(part) for part in schema["anyOf"]), key=len)
    length = schema.get("maxLength", 0)
    ascii_only = "pattern" in schema and "\\u" not in schema["pattern"]
    return ("a" if ascii_only else "\U0001f3a7") * length


def test_every_valid_request_line_fits_under_gunicorns_limit(app):
    """The longest request line any operation accepts (every path and query parameter at
    its longest, percent-encoded) stays under gunicorn's 4 KB request-line limit."""
    document = app.api_doc
    longest = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            url, query = path, []
            for parameter in operation.get("parameters", []):
                value = quote(_longest_value(parameter["schema"]), safe="")
                if parameter["in"] == "path":
                    url = url.replace("{" + parameter["name"] + "}", value)
                elif parameter["in"] == "query":
                    query.append(f"{parameter['name']}={value}")
            line = f"{method.upper()} {url}?{'&'.join(query)} HTTP/1.1"
            longest = max(longest, len(line.encode()))
    assert 0 < longest < GUNICORN_REQUEST_LINE_LIMIT, longest
