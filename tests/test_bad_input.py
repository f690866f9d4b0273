"""Bad input over REST is a 4xx problem naming the field, never a 500: integers past
Neo4j's 64 bits, impossible cursor dates, cursors that are too long, deeply nested JSON,
a wrong method."""

import base64
import json

import pytest

INT64_MAX = 2**63 - 1


def _problem(response, status):
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def _fields(body):
    return {error["field"] for error in body.get("errors") or []}


def _cursor(keys):
    return base64.urlsafe_b64encode(json.dumps(keys).encode()).decode().rstrip("=")


@pytest.mark.parametrize("value", [INT64_MAX + 1, 2**64, 10**30])
def test_seq_numbers_past_64_bits_are_a_400(api, people, value):
    """before_seq and up_to_seq beyond what Neo4j stores are refused, naming the field."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    base = f"/api/v1/conversations/{dm['id']}"
    headers = api.headers_for(maya)
    response = api.client.get(f"{base}/messages?before_seq={value}", headers=headers)
    assert "before_seq" in _fields(_problem(response, 400))
    for verb in ("read", "delivered"):
        response = api.client.post(f"{base}/{verb}", json={"up_to_seq": value}, headers=headers)
        assert "up_to_seq" in _fields(_problem(response, 400))


def test_the_largest_seq_neo4j_stores_is_accepted(api, people):
    """2^63-1 is a valid (if far away) position: the read marker simply moves to the latest."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    api.send(theo, dm, "hi")
    response = api.client.get(
        f"/api/v1/conversations/{dm['id']}/messages?before_seq={INT64_MAX}",
        headers=api.headers_for(maya),
    )
    assert response.status_code == 200
    assert [item["body"] for item in response.get_json()["items"]] == ["hi"]


@pytest.mark.parametrize("value", [INT64_MAX + 1, 10**30])
def test_a_limit_past_64_bits_is_a_400(api, people, value):
    """A huge limit is refused by the schema like any limit over 100."""
    response = api.client.get(
        f"/api/v1/users/{people[1]['id']}/followers?limit={value}",
        headers=api.headers_for(people[0]),
    )
    assert "limit" in _fields(_problem(response, 400))


@pytest.mark.parametrize(
    "stamp",
    [
        "2024-02-30T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T00:61:00Z",
        "\u0662\u0660\u0662\u0664-01-01T00:00:00Z",  # Arabic-Indic digits match \d
        "2024-01-01T00:00:00.\u0661Z",
    ],
)
def test_a_cursor_with_an_impossible_time_is_a_400(api, people, stamp):
    """A cursor that decodes but carries a date that cannot exist names the cursor."""
    maya, theo, _ = people
    api.follow(theo, maya)
    for path in (
        f"/api/v1/users/{maya['id']}/followers",
        "/api/v1/conversations",
        "/api/v1/me/notifications",
        "/api/v1/me/artists",
    ):
        response = api.client.get(
            path, query_string={"cursor": _cursor([stamp, "x"])}, headers=api.headers_for(maya)
        )
        assert _fields(_problem(response, 400)) == {"cursor"}, path


def test_a_cursor_the_api_issued_still_pages(api, people):
    """The stricter cursor check accepts the cursors the API hands out."""
    maya, *_ = people
    fans = [api.create_user(f"fan{n}") for n in range(3)]
    for fan in fans:
        api.follow(fan, maya)
    first = api.get(f"/api/v1/users/{maya['id']}/followers", maya, limit=2)
    second = api.get(
        f"/api/v1/users/{maya['id']}/followers", maya, limit=2, cursor=first["next_cursor"]
    )
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(seen) == sorted(fan["id"] for fan in fans)


@pytest.mark.parametrize("cursor", ["é" * 200, "a" * 257, "abc$def", "a b"])
def test_a_cursor_outside_its_alphabet_or_length_is_a_400(api, people, cursor):
    """Cursors are short base64url text; anything else (multibyte, too long) is refused
    before it can grow a request line past the server's limit."""
    response = api.client.get(
        f"/api/v1/users/{people[1]['id']}/followers",
        query_string={"cursor": cursor},
        headers=api.headers_for(people[0]),
    )
    assert _fields(_problem(response, 400)) == {"cursor"}


def test_deeply_nested_json_is_a_400(api):
    """3,000 levels of nesting in a few KB is refused as a bad body, not a crash."""
    for deep in ("[" * 3000 + "]" * 3000, '{"a":' * 3000 + "1" + "}" * 3000):
        response = api.client.post(
            "/api/v1/users",
            data=deep,
            content_type="application/json",
            headers=api.service_headers(),
        )
        assert _fields(_problem(response, 400)) == {"body"}


def test_a_wrong_method_names_the_allowed_ones(client, api, people):
    """405 carries `Allow` with the methods the path does take."""
    response = client.post("/healthz")
    _problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    response = client.patch(
        f"/api/v1/users/{people[0]['id']}/follow", headers=api.headers_for(people[1])
    )
    _problem(response, 405)
    assert {"PUT", "DELETE"} <= set(response.headers["Allow"].replace(" ", "").split(","))


def test_a_forged_cursor_without_a_token_is_a_401(client, people):
    """Who is asking is settled before the cursor is read: no token, 401 (schemathesis
    found a 400 here; authenticating every bearer route first fixed it)."""
    for path in (
        f"/api/v1/users/{people[0]['id']}/followers",
        f"/api/v1/users/{people[0]['id']}/following",
        f"/api/v1/users/{people[0]['id']}/liked-producers",
        "/api/v1/conversations",
    ):
        response = client.get(path, query_string={"cursor": "0"})
        assert _problem(response, 401)["status"] == 401, path


def test_seqs_are_json_integers(api, people):
    """`2.0` is a JSON integer and moves the marker; `true` and `"2"` are not integers
    (schemathesis found 2.0 refused)."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    for _ in range(3):
        api.send(theo, dm, "hi")
    path = f"/api/v1/conversations/{dm['id']}/delivered"
    response = api.client.post(path, json={"up_to_seq": 2.0}, headers=api.headers_for(maya))
    assert response.status_code == 200 and response.get_json()["delivered_seq"] == 2
    for value in (True, "3", 2.5):
        response = api.client.post(path, json={"up_to_seq": value}, headers=api.headers_for(maya))
        assert "up_to_seq" in _fields(_problem(response, 400)), value
