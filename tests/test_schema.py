"""The schema: applied by the migrate command, idempotently, and checked by readiness."""

from graph.schema import apply_schema, schema_is_applied


def test_migrate_is_idempotent(app, graph):
    """Running the migration again changes nothing and leaves the schema complete."""
    apply_schema(graph)
    apply_schema(graph)
    assert schema_is_applied(graph)


def test_migrate_command_reports_success(app):
    """`flask migrate` applies the schema and says so."""
    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    assert "schema applied" in result.output


def test_token_command_mints_a_service_token(app, client):
    """`flask token NAME --service` prints a token the API accepts as the service."""
    token = app.test_cli_runner().invoke(args=["token", "backend", "--service"]).output.strip()
    response = client.post(
        "/api/v1/users",
        json={"username": "maya", "display_name": "Maya"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
