"""gunicorn's logger with secrets kept out: a `token` query value (any case, even
percent-encoded) is redacted from every logged URL, credential headers are never logged,
and the log files it opens are readable by their owner only."""

import logging
import os
import re
from typing import Any
from urllib.parse import unquote_plus

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
SECRET_PARAMETERS = {"token"}
SECRET_HEADERS = {"authorization", "cookie", "proxy-authorization"}
_PARAMETER = re.compile(r"([^&;=]*)=([^&;]*)")


def redact_query(query: str) -> str:
    """The query string with the value of every secret parameter replaced."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if unquote_plus(name).lower() in SECRET_PARAMETERS:
            return f"{name}={REDACTED}"
        return match.group(0)

    return _PARAMETER.sub(one, query)


def redact_url(url: str) -> str:
    """A path or URL with its query redacted (the fragment is dropped, if any)."""
    path, mark, query = url.partition("?")
    return path + mark + redact_query(query.partition("#")[0]) if mark else url


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    """Access and error logs as gunicorn writes them, minus the secrets."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        method, protocol = environ["REQUEST_METHOD"], environ["SERVER_PROTOCOL"]
        atoms["r"] = f"{method} {redact_url(environ['RAW_URI'])} {protocol}"
        atoms["q"] = redact_query(environ.get("QUERY_STRING", ""))
        atoms["f"] = redact_url(environ.get("HTTP_REFERER", "-"))
        for name in SECRET_HEADERS:
            if f"{{{name}}}i" in atoms:
                atoms[f"{{{name}}}i"] = REDACTED
        return atoms

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            for handler in log.handlers:
                if isinstance(handler, logging.FileHandler) and os.path.isfile(
                    handler.baseFilename
                ):
                    os.chmod(handler.baseFilename, 0o600)
