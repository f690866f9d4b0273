"""Every error leaves as `application/problem+json` (RFC 9457) with the fields at fault."""

import logging
from typing import Any

from flask import Flask, Response, json, request
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.sansio.response import Response as WerkzeugResponse

from graph.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthorized,
    Unavailable,
)

log = logging.getLogger(__name__)

PROBLEM_TYPE = "about:blank"
RETRY_AFTER_SECONDS = 5


class FieldProblem(BaseModel):
    """One invalid field: its dotted path and what is wrong with it."""

    field: str
    message: str


class Problem(BaseModel):
    """The body of every error response."""

    type: str = PROBLEM_TYPE
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


def problem_response(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _field_name(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location) or "body"


def validation_problem(error: ValidationError) -> Response:
    """flask-openapi3's validation callback: a 400 naming every bad field."""
    errors = [
        {"field": _field_name(item["loc"]), "message": item["msg"]}
        for item in error.errors(include_url=False)
    ]
    names = ", ".join(dict.fromkeys(item["field"] for item in errors))
    return problem_response(400, "Invalid input", f"invalid value for: {names}", errors)


# The HTTP face of each domain error: its status and problem title.
STATUS_OF_ERROR: dict[type[DomainError], tuple[int, str]] = {
    InvalidInput: (400, "Invalid input"),
    Unauthorized: (401, "Unauthorized"),
    Forbidden: (403, "Forbidden"),
    NotFound: (404, "Not found"),
    Conflict: (409, "Conflict"),
    Unavailable: (503, "Service unavailable"),
}


def status_of(error: DomainError) -> tuple[int, str]:
    """The status and title for a domain error (its nearest mapped class; else 400)."""
    for cls in type(error).__mro__:
        if cls in STATUS_OF_ERROR:
            return STATUS_OF_ERROR[cls]
    return 400, "Bad request"


def domain_problem(error: DomainError) -> Response:
    """A deliberate domain error, with the field it concerns when there is one."""
    status, title = status_of(error)
    errors = [{"field": error.field, "message": error.detail}] if error.field else None
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return problem_response(status, title, error.detail, errors, headers)


def reject_malformed_json() -> None:
    """Before any handler: a body sent as JSON must parse, so the 400 says so plainly."""
    if request.content_length and request.is_json:
        try:
            request.get_json()
        except BadRequest as exc:
            raise DomainError("the request body is not valid JSON", field="body") from exc
        except RecursionError as exc:  # the parser recurses per level: 3,000 levels fit in 6 KB
            raise DomainError("the request body is nested too deeply", field="body") from exc


def register_error_handlers(app: Flask) -> None:
    """Map every error the app can raise to a problem document."""
    app.before_request(reject_malformed_json)

    @app.errorhandler(DomainError)
    def on_domain_error(error: DomainError) -> Response:
        return domain_problem(error)

    @app.errorhandler(HTTPException)
    def on_http_error(error: HTTPException) -> Response | WerkzeugResponse:
        if error.response is not None:
            return error.response  # flask-openapi3's validation problem, already built
        status = error.code or 500
        # Only Allow (405) and the like: werkzeug's Content-Type is replaced by ours.
        headers = {
            name: value for name, value in error.get_headers() if name.lower() != "content-type"
        }
        return problem_response(
            status, error.name, error.description or error.name, headers=headers
        )

    @app.errorhandler(ServiceUnavailable)
    @app.errorhandler(SessionExpired)
    @app.errorhandler(TransientError)
    def on_graph_unavailable(error: Exception) -> Response:
        log.warning("graph database unavailable: %s", error)
        return problem_response(
            503,
            "Service unavailable",
            "the graph database does not answer; retry shortly",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.errorhandler(Exception)
    def on_unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(500, "Internal server error", "an unexpected error occurred")
