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


def test_demo_command_loads_a_living_graph_once(app, api):
    """`flask demo` builds users, follows, producers, chats and notifications; running it
    again is a no-op."""
    runner = app.test_cli_runner()
    assert "5 users" in runner.invoke(args=["demo"]).output
    assert "already loaded" in runner.invoke(args=["demo"]).output
    maya = api.get("/api/v1/users/lookup", "u-maya", username="maya")
    assert maya["following_count"] == 2 and maya["liked_producers_count"] == 2
    # DM: Theo, Maya (her reply reads what came before), Theo again → 1; the group → 1.
    assert api.get("/api/v1/me/unread", "u-maya") == {"conversations": 2, "messages": 2}
    bell = api.get("/api/v1/me/notifications", "u-maya")["items"]
    assert sorted(item["type"] for item in bell) == [
        "direct_message",
        "direct_message",
        "new_follower",
        "new_follower",
        "playlist_invite",
    ]
