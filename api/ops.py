"""Operations endpoints outside /api/v1: health, readiness, the OpenAPI document, docs."""

from flask import current_app, redirect
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel
from redis.exceptions import RedisError

from api.context import get_graph, get_redis, get_warmer
from api.errors import RETRY_AFTER_SECONDS, problem_response
from api.openapi import problems
from api.replies import Reply
from graph.health import check_graph

bp = APIBlueprint("ops", __name__, abp_tags=[Tag(name="ops", description="health and docs")])


class Status(BaseModel):
    """The process is up (and, for readyz, its dependencies answer)."""

    status: str


@bp.get("/healthz", responses={200: Status, **problems(400)})
def healthz() -> Reply:
    """The process is up."""
    return {"status": "ok"}


@bp.get("/readyz", responses={200: Status, **problems(400, 503)})
def readyz() -> Reply:
    """Neo4j answers, schema applied and plans warm, and Redis answers; 503 otherwise."""
    reasons = []
    graph_problem = check_graph(get_graph(), get_warmer())
    if graph_problem:
        reasons.append(f"neo4j: {graph_problem}")
    try:
        get_redis().ping()
    except RedisError as exc:
        reasons.append(f"redis: {exc}")
    if reasons:
        return problem_response(
            503, "Not ready", "; ".join(reasons), headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
    return {"status": "ready"}


@bp.get("/openapi.json", doc_ui=False)
def openapi_document() -> Reply:
    """The OpenAPI 3 document, generated from the schemas that validate requests."""
    return current_app.api_doc  # type: ignore[attr-defined,no-any-return]


@bp.get("/docs", doc_ui=False)
def docs() -> Reply:
    """The interactive API docs (Swagger UI)."""
    return redirect("/openapi/swagger")
