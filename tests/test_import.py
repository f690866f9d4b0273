"""`flask import`: a BeatPass export loads into the graph the API would have built, and a
bad row is named by file, line and column with nothing imported (issue 12 §7)."""

import csv
from pathlib import Path
from typing import Any

import pytest

from bulk.online import LoadFailed, load
from bulk.progress import make_progress
from bulk.run import import_folder, stage
from bulk.spec import SOURCES
from cypher import Q
from graph.db import Graph
from graph.schema import apply_schema


def write_export(folder: Path, export: dict[str, list[dict[str, Any]]]) -> None:
    """The export's eight files, with the columns each row has."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        rows = export[source.name.removesuffix(".csv")]
        columns = list(source.required + source.optional)
        with (folder / source.name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                        for k, v in row.items()
                    }
                )


def build_through_the_api(api: Any) -> dict[str, Any]:
    """A small BeatPass: follows both ways, producer likes (one page claimed), a beat, a DM
    read halfway, a group marked unread, a hidden DM; returns the users and producers."""
    maya, theo, eve, lena = (
        api.create_user(name, avatar_url=f"https://img.test/{name}.png" if name == "maya" else None)
        for name in ("maya", "theo", "eve", "lena")
    )
    studio = api.create_producer("studio-x", user_id=maya["id"])
    loops = api.create_producer("loops")
    response = api.client.post(
        f"/api/v1/producers/{studio['id']}/uploads",
        json={"title": "Night drive"},
        headers=api.service_headers(),
    )
    assert response.status_code == 201
    for follower, followee in ((theo, maya), (eve, maya), (maya, theo), (lena, theo), (eve, lena)):
        api.follow(follower, followee)
    for user, producer in ((theo, studio), (eve, studio), (lena, loops), (theo, loops)):
        api.like(user, producer)
    dm = api.start(maya, theo)
    for n in range(4):
        api.send(theo if n % 2 else maya, dm, f"dm {n}")
    api.post(f"/api/v1/conversations/{dm['id']}/read", maya, {"up_to_seq": 2})
    api.post(f"/api/v1/conversations/{dm['id']}/delivered", theo, {"up_to_seq": 3})
    group = api.start(eve, maya, theo, lena, title="Crew")
    api.send(eve, group, "hello crew")
    api.send(lena, group, "line one\nline two")
    api.post(f"/api/v1/conversations/{group['id']}/unread", eve)
    quiet = api.start(lena, maya)
    api.send(lena, quiet, "ping")
    response = api.client.delete(
        f"/api/v1/conversations/{quiet['id']}", headers=api.headers_for(maya)
    )
    assert response.status_code in (200, 204)
    return {"users": [maya, theo, eve, lena], "producers": [studio, loops]}


def answers(api: Any, made: dict[str, Any]) -> dict[str, Any]:
    """What each user sees on every screen the import feeds (the bell is not imported)."""
    seen: dict[str, Any] = {}
    users, producers = made["users"], made["producers"]
    for viewer in users:
        me = api.get("/api/v1/me", viewer)
        me["unread"].pop("notifications", None)
        seen[f"{viewer['username']} me"] = me
        for path in (
            "/api/v1/me/unread",
            "/api/v1/conversations",
            "/api/v1/me/artists",
            "/api/v1/me/recommendations/users",
            "/api/v1/me/recommendations/producers",
            "/api/v1/messaging/suggestions",
        ):
            seen[f"{viewer['username']} {path}"] = api.get(path, viewer)
        seen[f"{viewer['username']} search"] = api.get("/api/v1/users/search", viewer, q="ma")
        for other in users:
            for tail in ("", "/followers", "/following", "/liked-producers"):
                path = f"/api/v1/users/{other['id']}{tail}"
                seen[f"{viewer['username']} {path}"] = api.get(path, viewer, limit=2)
        for producer in producers:
            for tail in ("", "/followers"):
                path = f"/api/v1/producers/{producer['id']}{tail}"
                seen[f"{viewer['username']} {path}"] = api.get(path, viewer)
        for item in api.get("/api/v1/conversations", viewer)["items"]:
            for tail in ("", "/messages"):
                path = f"/api/v1/conversations/{item['id']}{tail}"
                seen[f"{viewer['username']} {path}"] = api.get(path, viewer)
    return _members_sorted(seen)


def _members_sorted(value: Any) -> Any:
    """The API lists a conversation's participants in storage order, which it does not
    promise; compare them as a set."""
    if isinstance(value, dict):
        return {
            k: sorted(v, key=lambda p: p["id"]) if k == "participants" else _members_sorted(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_members_sorted(item) for item in value]
    return value


def export_graph(graph: Graph) -> dict[str, list[dict[str, Any]]]:
    record = graph.single(Q.testing.export_graph)
    assert record is not None
    return {key: list(record[key]) for key in record.keys()}  # noqa: SIM118 (a Record)


def test_an_imported_export_answers_as_the_api_built_graph_does(api, graph, tmp_path):
    """Export what the API built, wipe it, import the export online: every screen (profiles,
    follow lists and cursors, likes, search, recommendations, conversation lists, badges,
    markers and message status) reads the same."""
    made = build_through_the_api(api)
    before = answers(api, made)
    write_export(tmp_path / "export", export_graph(graph))
    graph.run(Q.testing.wipe_graph)
    with make_progress(False) as progress:
        staged, _ = import_folder(tmp_path / "export", progress, graph)
    assert staged.counts["User"] == 4 and staged.counts["Message"] == 7
    after = answers(api, made)
    assert after == before
    for user in made["users"]:
        recount = graph.single(Q.testing.recount_messaging_state, user_id=user["id"])
        assert recount is not None
        badge = api.get("/api/v1/me/unread", user)
        assert badge == {"conversations": recount["conversations"], "messages": recount["messages"]}


def test_the_badge_after_import_moves_like_one_built_through_the_api(api, graph, tmp_path):
    """Imported counters are the ones the hot paths keep: a new message after the import
    raises the badge by one, and reading clears it."""
    made = build_through_the_api(api)
    write_export(tmp_path / "export", export_graph(graph))
    graph.run(Q.testing.wipe_graph)
    with make_progress(False) as progress:
        import_folder(tmp_path / "export", progress, graph)
    maya, theo = made["users"][:2]
    before = api.get("/api/v1/me/unread", theo)
    dm = next(c for c in api.get("/api/v1/conversations", maya)["items"] if c["kind"] == "direct")
    api.send(maya, dm, "after the import")
    assert api.get("/api/v1/me/unread", theo)["messages"] == before["messages"] + 1
    api.post(f"/api/v1/conversations/{dm['id']}/read", theo, {})
    recount = graph.single(Q.testing.recount_messaging_state, user_id=theo["id"])
    assert api.get("/api/v1/me/unread", theo) == {
        "conversations": recount["conversations"],
        "messages": recount["messages"],
    }
    assert recount["messages"] == 2  # the group's two; the DM was read


GOOD = {
    "users": [
        {
            "id": "u1",
            "username": "alice",
            "display_name": "Alice",
            "created_at": "2024-01-01T00:00:00Z",
        },
        {
            "id": "u2",
            "username": "bob",
            "display_name": "Bob",
            "created_at": "2024-01-02T00:00:00Z",
        },
    ],
    "producers": [
        {
            "id": "p1",
            "slug": "p-one",
            "name": "P",
            "user_id": "u1",
            "created_at": "2024-01-01T00:00:00Z",
        }
    ],
    "beats": [
        {"id": "b1", "producer_id": "p1", "title": "B", "created_at": "2024-01-03T00:00:00Z"}
    ],
    "follows": [{"follower_id": "u2", "followee_id": "u1", "since": "2024-02-01T00:00:00Z"}],
    "likes": [{"user_id": "u2", "producer_id": "p1", "since": "2024-02-01T00:00:00Z"}],
    "conversations": [{"id": "c1", "kind": "direct", "created_at": "2024-03-01T00:00:00Z"}],
    "participants": [
        {"conversation_id": "c1", "user_id": "u1", "joined_at": "2024-03-01T00:00:00Z"},
        {"conversation_id": "c1", "user_id": "u2", "joined_at": "2024-03-01T00:00:00Z"},
    ],
    "messages": [
        {
            "id": "m1",
            "conversation_id": "c1",
            "sender_id": "u1",
            "body": "hi",
            "created_at": "2024-03-01T00:00:01Z",
        }
    ],
}


def _with(file: str, index: int, **changes: Any) -> dict[str, Any]:
    export = {name: [dict(row) for row in rows] for name, rows in GOOD.items()}
    if index == len(export[file]):
        export[file].append(changes)
    else:
        export[file][index].update(changes)
    return export


@pytest.mark.parametrize(
    "export, expected",
    [
        (
            _with("users", 1, username="Alice"),
            "users.csv:3: column username: 'Alice' is taken (ignoring case) on line 2",
        ),
        (
            _with("users", 1, created_at="yesterday"),
            "users.csv:3: column created_at: is 'yesterday', not an ISO 8601 time",
        ),
        (_with("users", 0, display_name="   "), "users.csv:2: column display_name: must be 1-64"),
        (
            _with("follows", 0, followee_id="u9"),
            "follows.csv:2: column followee_id: 'u9' is no user in the database or in users.csv",
        ),
        (
            _with("follows", 1, follower_id="u2", followee_id="u1", since="2024-02-02T00:00:00Z"),
            "follows.csv:3: column followee_id: repeats the row on line 2",
        ),
        (
            _with("follows", 0, follower_id="u1"),
            "follows.csv:2: column followee_id: is the follower: nobody follows themselves",
        ),
        (
            _with("likes", 0, producer_id="p9"),
            "likes.csv:2: column producer_id: 'p9' is no producer in the database or in "
            "producers.csv",
        ),
        (
            _with("conversations", 0, kind="channel"),
            "conversations.csv:2: column kind: is 'channel', not 'direct' or 'group'",
        ),
        (
            _with("participants", 1, read_seq="lots"),
            "participants.csv:3: column read_seq: is 'lots', not a whole number",
        ),
        (
            _with("participants", 1, read_seq="5"),
            "participants.csv:3: column read_seq: is 5, past the conversation's 1 message(s)",
        ),
        (
            _with("messages", 0, sender_id="u9"),
            "messages.csv:2: column sender_id: 'u9' is not a participant of 'c1'",
        ),
        (
            _with(
                "messages",
                1,
                id="m2",
                conversation_id="c1",
                sender_id="u2",
                body="x",
                created_at="2024-02-01T00:00:00Z",
            ),
            "messages.csv:3: column created_at: is before the previous message",
        ),
        (
            _with(
                "messages",
                1,
                id="m2",
                conversation_id="c1",
                sender_id="u1",
                body="again",
                created_at="2024-03-01T00:00:02Z",
                client_id="m1",
            ),
            "messages.csv:3: column client_id: repeats the row on line 2",
        ),
        (
            _with(
                "participants",
                2,
                conversation_id="c1",
                user_id="u2",
                joined_at="2024-03-01T00:00:00Z",
            ),
            "participants.csv:4: column user_id: 'u2' is already in that conversation",
        ),
    ],
)
def test_a_bad_row_is_named_by_file_line_and_column_and_nothing_is_imported(
    app, graph, tmp_path, export, expected
):
    """`flask import` prints file:line: column: problem for a bad row, exits non-zero,
    and writes nothing to the database."""
    write_export(tmp_path / "export", export)
    result = app.test_cli_runner().invoke(
        args=["import", str(tmp_path / "export"), "--no-progress"]
    )
    assert result.exit_code != 0
    assert expected in result.output, result.output
    assert "nothing was imported" in result.output
    assert graph.single(Q.testing.count_nodes)["nodes"] == 0


def test_a_good_export_imports_through_the_command(app, graph, tmp_path):
    """The same export without the bad row imports, and says what it wrote."""
    write_export(tmp_path / "export", GOOD)
    result = app.test_cli_runner().invoke(
        args=["import", str(tmp_path / "export"), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "2 User" in result.output and "imported" in result.output
    assert graph.single(Q.testing.count_nodes)["nodes"] == 2 + 1 + 1 + 1 + 1


def test_an_online_import_refuses_what_the_database_already_has(app, api, graph, tmp_path):
    """Into a running database, a username already taken there is a bad row, and the users
    already in the database may be followed by imported ones."""
    api.create_user("ALICE")
    write_export(tmp_path / "export", GOOD)
    result = app.test_cli_runner().invoke(
        args=["import", str(tmp_path / "export"), "--no-progress"]
    )
    assert result.exit_code != 0
    assert "users.csv:2: column username: 'alice' is already in the database" in result.output
    assert graph.single(Q.testing.count_nodes)["nodes"] == 1


def test_rows_may_point_at_users_already_in_the_database(app, api, graph, tmp_path):
    """An online import links to existing users (follows, memberships) and moves their
    badge by what the imported conversation holds unread for them."""
    existing = api.create_user("zoe")
    export = _with(
        "follows", 1, follower_id=existing["id"], followee_id="u1", since="2024-02-03T00:00:00Z"
    )
    export["conversations"].append(
        {"id": "c2", "kind": "group", "title": "G", "created_at": "2024-03-02T00:00:00Z"}
    )
    for user_id, read in (("u1", None), (existing["id"], 0)):
        export["participants"].append(
            {
                "conversation_id": "c2",
                "user_id": user_id,
                "joined_at": "2024-03-02T00:00:00Z",
                "read_seq": read,
            }
        )
    export["messages"].append(
        {
            "id": "m2",
            "conversation_id": "c2",
            "sender_id": "u1",
            "body": "welcome",
            "created_at": "2024-03-02T00:00:01Z",
        }
    )
    write_export(tmp_path / "export", export)
    result = app.test_cli_runner().invoke(
        args=["import", str(tmp_path / "export"), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert api.get("/api/v1/me/unread", existing) == {"conversations": 1, "messages": 1}
    assert api.get(f"/api/v1/users/{existing['id']}", existing)["following_count"] == 1


def _neo4j_conf(tmp_path: Path) -> Path:
    """A conf folder for neo4j-admin pointing at an empty data folder of this test."""
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "neo4j.conf").write_text(
        f"server.directories.data={tmp_path / 'data'}\n"
        f"server.directories.logs={tmp_path / 'logs'}\n"
    )
    return conf


def test_a_full_import_writes_a_new_store_with_neo4j_admin(app, tmp_path):
    """`--full` hands the checked rows to neo4j-admin, which builds the store: every node and
    relationship of the export is counted in."""
    write_export(tmp_path / "export", GOOD)
    result = app.test_cli_runner().invoke(
        args=[
            "import",
            str(tmp_path / "export"),
            "--full",
            "--no-progress",
            "--heap",
            "512m",
            "--neo4j-conf",
            str(_neo4j_conf(tmp_path)),
        ]
    )
    assert result.exit_code == 0, result.output
    # users, producer, beat, conversation, message; claim, upload, follow, like, two
    # memberships, sent and in.
    assert "6 nodes" in result.output and "8 relationships" in result.output, result.output
    assert "flask migrate" in result.output
    assert (tmp_path / "data" / "databases" / "neo4j").is_dir()


def test_a_refused_full_import_never_starts_neo4j_admin(app, tmp_path):
    """A bad row stops `--full` before the tool runs: no store is written."""
    write_export(tmp_path / "export", _with("likes", 0, producer_id="p9"))
    result = app.test_cli_runner().invoke(
        args=[
            "import",
            str(tmp_path / "export"),
            "--full",
            "--no-progress",
            "--neo4j-conf",
            str(_neo4j_conf(tmp_path)),
        ]
    )
    assert result.exit_code != 0
    assert "likes.csv:2: column producer_id: 'p9' is no producer in producers.csv" in result.output
    assert not (tmp_path / "data" / "databases").exists()


def test_a_load_that_fails_part_way_is_undone(api, graph, tmp_path):
    """A slug taken after the checks (a producer created while the import runs) makes a
    write fail once the users are in: everything the import had written is removed and
    the failure raised, so the database holds only what it held before."""
    write_export(tmp_path / "export", GOOD)
    staging = tmp_path / "staging"
    staging.mkdir()
    apply_schema(graph)
    with make_progress(False) as progress:
        staged = stage(tmp_path / "export", staging, progress, graph)
        api.create_producer("p-one")  # between the checks and the writes
        with pytest.raises(LoadFailed, match="removed"):
            load(graph, staged, progress)
    assert graph.single(Q.testing.count_nodes)["nodes"] == 1  # the producer made meanwhile
    login = api.client.get("/api/v1/users/u1", headers=api.headers_for("u1"))
    assert login.status_code == 401  # u1 was imported, then removed again
