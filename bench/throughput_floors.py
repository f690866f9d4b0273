"""beatgraph's floors for bench-throughput: the same sends as plain driver transactions
(the app's own send_messages statement, one send per transaction) from the same number of
threads, and the API's own overhead on reads (served app over keep-alive HTTP ÷ the same
statement through the driver), reusing the reads and graphs of bench-social and
bench-messaging."""

import uuid
from typing import Any

from bench import messaging_bench, social_bench
from bench.common import percentiles, raw_read, time_calls
from bench.load import CpuMeter, KeepAlive, Send, closed_loop, latency_summary
from bench.throughput_beatgraph import BeatgraphSide
from bench.throughput_workload import GROUP_SENDERS, SECONDS, SEQUENTIAL
from cypher import Q
from graph.db import Graph
from server.tokens import issue_token

READ_REPEAT = 200
# The issue's six reads, by the names bench-social and bench-messaging give them.
READS = {
    "profile": "profile (star: 50k followers)",
    "followers_page": "followers page 1 (star)",
    "producer_page": "producer page (200k likes)",
    "conversation_list": "list conversations (user in 1,000)",
    "message_page": "message page, history 100",
    "badge": "badge (user in 1,000)",
}


def raw_sender(graph: Graph, user: str, conversation: str, notify_ids: list[str]) -> Send:
    """send_messages, one send per transaction, through the bare driver, with the
    parameters the app would pass (`notify_ids`: the members without a live socket)."""

    def work(tx: Any, params: dict[str, Any]) -> list[Any]:
        return list(tx.run(Q.messaging.send_messages.text, {"sends": [params]}))

    def send(message_id: str) -> bool:
        params = {
            "user_id": user,
            "conversation_id": conversation,
            "client_id": message_id,
            "body": "bench",
            "message_id": uuid.uuid4().hex,
            "notify_ids": notify_ids,
        }
        with graph.driver.session(database=graph.database) as session:
            rows = session.execute_write(work, params)
        return bool(rows) and bool(rows[0]["created"])

    return send


def raw_floor(side: BeatgraphSide, run: str) -> dict[str, Any]:
    """Sequential sends from one thread, 8 threads into the group, 40 into the 20 DMs; as in
    the app's phases, the group's members are online and the DMs' recipients are not."""
    graph, users = side.graph, side.users
    neo4j = {"neo4j": side.servers()["neo4j"]}
    send = raw_sender(graph, users[0], side.dm, [users[1]])
    samples = time_calls(lambda: send(f"rs{run}-{uuid.uuid4().hex[:8]}"), SEQUENTIAL)
    group = [
        (raw_sender(graph, users[n % len(users)], side.group, []), f"rg{run}-{n}")
        for n in range(GROUP_SENDERS)
    ]
    with CpuMeter(neo4j) as group_cpu:
        in_group = closed_loop(group, SECONDS)
    dms = []
    for i, (a, b, conversation) in enumerate(side.dm_pairs):
        dms.append((raw_sender(graph, a, conversation, [b]), f"rd{run}-{i}a"))
        dms.append((raw_sender(graph, b, conversation, [a]), f"rd{run}-{i}b"))
    with CpuMeter(neo4j) as dm_cpu:
        in_dms = closed_loop(dms, SECONDS)
    return {
        "send_ms": latency_summary(samples),
        "group_8_threads": {**in_group.summary(), "cpu_cores": group_cpu.cores},
        "dms_40_threads": {**in_dms.summary(), "cpu_cores": dm_cpu.cores},
    }


def read_overhead(side: BeatgraphSide) -> dict[str, Any]:
    """API ÷ raw driver p50 (and both p99s) of the six reads, over the served app. Beside
    each ratio, the lowest one this HTTP stack allows: (`/healthz` p50 + raw p50) ÷ raw p50,
    where `/healthz` is the same keep-alive round trip through gunicorn and Flask with no
    token, rate limit, database or JSON to speak of."""
    graph = side.graph
    probe = KeepAlive(side.served.base)
    healthz50, _ = percentiles(time_calls(lambda: probe.request("GET", "/healthz"), READ_REPEAT))
    probe.close()
    social_bench.ensure_graph(graph)
    messaging_bench.ensure_graph(graph)
    cases = {
        case[0]: case[1:] for case in social_bench.read_cases(graph) + messaging_bench.read_cases()
    }
    figures = {}
    for key, name in READS.items():
        url, viewer, query, params = cases[name]
        http = KeepAlive(
            side.served.base, {"Authorization": f"Bearer {issue_token(side.secret, viewer, 3600)}"}
        )

        def via_api(http: KeepAlive = http, url: str = url) -> None:
            status, body = http.request("GET", url)
            assert status == 200, body

        api50, api99 = percentiles(time_calls(via_api, READ_REPEAT))
        raw50, raw99 = percentiles(time_calls(raw_read(graph, query, params), READ_REPEAT))
        http.close()
        figures[key] = {
            "read": name,
            "api_p50_ms": round(api50, 2),
            "api_p99_ms": round(api99, 2),
            "raw_p50_ms": round(raw50, 2),
            "raw_p99_ms": round(raw99, 2),
            "api_over_raw_p50": round(api50 / raw50, 2),
            "healthz_p50_ms": round(healthz50, 2),
            "lowest_possible_over_raw_p50": round((healthz50 + raw50) / raw50, 2),
        }
    return figures
