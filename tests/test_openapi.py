"""/openapi.json tells the truth: every operation's errors as one problem+json Problem,
the rules the validators enforce, the WebSocket endpoint and the deep link."""

import pytest
from pydantic import BaseModel

from api.pagination import CURSOR_PATTERN, PageQuery

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
SERVICE_ONLY = {
    ("post", "/api/v1/users"),
    ("post", "/api/v1/producers"),
    ("patch", "/api/v1/producers/{producer_id}"),
    ("post", "/api/v1/producers/{producer_id}/uploads"),
    ("post", "/api/v1/notifications/playlist-invites"),
}

NEVER_ASKS_NEO4J = {("delete", "/api/v1/session")}  # signing out only clears the cookie


@pytest.fixture
def document(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_every_error_response_is_one_problem_document(document):
    """Each 4xx/5xx an operation documents is application/problem+json with one Problem
    object (not application/json, not an array)."""
    seen = 0
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                assert response.get("content") == PROBLEM, (method, path, status)
                seen += 1
    assert seen > 100
    assert "Problem" in document["components"]["schemas"]


def test_each_operation_documents_the_errors_it_can_give(document):
    """Bad input (400) everywhere; 401 and 429 where a token is needed; 403 on service-only
    routes; 404 where a path names a thing; 413 with a body; 503 wherever Neo4j answers."""
    for method, path, operation in _operations(document):
        statuses = set(operation["responses"])
        where = (method, path)
        assert "400" in statuses, where
        if operation.get("security") == [{"bearer": []}]:
            assert {"401", "429"} <= statuses, where
        if where in SERVICE_ONLY:
            assert "403" in statuses, where
        if "{" in path and path != "/api/v1/ws":
            assert "404" in statuses, where
        if "requestBody" in operation:
            assert "413" in statuses, where
        if path not in ("/healthz", "/api/v1/ws") and where not in NEVER_ASKS_NEO4J:
            assert "503" in statuses, where


def test_the_schema_states_what_the_validators_enforce(document):
    """Cursor pattern and length, trimmed text, exactly-one-of bodies and the refusals of
    yourself are in the document, not only in the code."""
    schemas = document["components"]["schemas"]
    cursors = [
        parameter["schema"]
        for _, _, operation in _operations(document)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "cursor"
    ]
    assert cursors and all(
        CURSOR_PATTERN
        in (schema.get("pattern"), *(s.get("pattern") for s in schema.get("anyOf", [])))
        for schema in cursors
    )
    display_name = schemas["CreateUserBody"]["properties"]["display_name"]
    assert "pattern" in display_name and "after trimming" in display_name["description"]
    for body in ("DevTokenBody", "MarkReadBody"):
        assert len(schemas[body]["oneOf"]) == 2, body
    paths = document["paths"]
    for path, method in (
        ("/api/v1/users/{user_id}/follow", "put"),
        ("/api/v1/users/{user_id}/follow", "delete"),
        ("/api/v1/users/{user_id}/block", "delete"),
        ("/api/v1/users/{user_id}/block", "put"),
        ("/api/v1/users/{user_id}/reports", "post"),
    ):
        operation = paths[path][method]
        said = operation.get("summary", "") + operation.get("description", "")
        assert "yourself" in said, path


def test_the_websocket_and_the_deep_link_are_documented(document):
    """/api/v1/ws (101, token and since, its close codes) and /messages (cookie or Bearer,
    302 with Location) are operations of the document."""
    socket = document["paths"]["/api/v1/ws"]["get"]
    assert {"101", "400"} <= set(socket["responses"])
    assert {parameter["name"] for parameter in socket["parameters"]} >= {"token", "since"}
    for code in ("4400", "4401", "1013", "1009", "1001"):
        assert code in socket["description"], code
    link = document["paths"]["/messages"]["get"]
    assert "Location" in link["responses"]["302"]["headers"]
    assert {"bearer": []} in link["security"] and {"session": []} in link["security"]
    session = document["components"]["securitySchemes"]["session"]
    assert (session["type"], session["in"], session["name"]) == ("apiKey", "cookie", "bp_session")


def test_a_query_models_remembered_schema_is_pydantics_and_each_caller_gets_a_copy():
    """flask-openapi3 reads a query model's JSON schema on every request: it comes from
    memory, equal to what pydantic builds, and editing one copy changes no other."""
    first = PageQuery.model_json_schema()
    assert first == BaseModel.model_json_schema.__func__(PageQuery)  # type: ignore[attr-defined]
    first["properties"].pop("limit")
    assert "limit" in PageQuery.model_json_schema()["properties"]
    with_refs = PageQuery.model_json_schema(ref_template="#/components/schemas/{model}")
    assert with_refs == BaseModel.model_json_schema.__func__(
        PageQuery, ref_template="#/components/schemas/{model}"
    )
