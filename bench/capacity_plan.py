"""The capacity plan's arithmetic (docs/scaling.md): BeatPass's mix × the per-operation
figures of `make bench-capacity` → peak operations per second, app processes, Redis shards
and Neo4j members for 1M, 10M and 100M users. No stack needed:

    .venv/bin/python -m bench.capacity_plan docs/data/capacity-2026-12-02.json

prints the markdown tables of docs/scaling.md. Every assumption is a constant below.
"""

import json
import sys
from typing import Any

USERS = (1_000_000, 10_000_000, 100_000_000)
DAU = 0.20  # share of registered users active on a day
PEAK = 3.0  # peak hour's rate ÷ the day's average rate
ONLINE_MINUTES = 60  # per active user per day with the player (and its socket) open
SOCKETS_PER_ONLINE_USER = 1.2  # web + phone
PING_SECONDS = 25  # BEATGRAPH_WS_PING_SECONDS

# Operations per active user per day, by the bench's kind names. Sends: 16 DMs (half to
# someone online) and 4 group messages (groups of 6); they reach 16 + 4 × 5 = 36 people,
# half online: 18 `delivered` frames; 10 conversations opened a day: 10 `read` frames;
# 4 typing frames per message sent (a start renewed every 3 s, then a stop).
MIX: dict[str, float] = {
    "send_dm_recipient_online": 8,
    "send_dm_recipient_offline": 8,
    "send_group_6_online": 4,
    "delivered_frame": 18,
    "read_frame": 10,
    "typing_frame": 80,
    "list_conversations": 10,
    "message_page": 10,
    "unread_badge": 5,
    "me": 5,
    "profile": 15,
    "followers_page": 3,
    "search": 3,
    "notifications_page": 3,
    "follow": 1,
    "unfollow": 0.2,
    "socket_connect_resume": 5,
}

# What a registered user leaves in the store (averages over all registered users).
FOLLOWS_PER_USER = 50  # follows and likes (a like writes about what a follow does)
CONVERSATIONS_PER_USER = 10  # each DM counted once (two members)
MESSAGES_PER_USER_PER_YEAR = (
    DAU
    * sum(
        MIX[k]
        for k in ("send_dm_recipient_online", "send_dm_recipient_offline", "send_group_6_online")
    )
    * 365
)

# Redis: entries an active user's stream gains a day (own sends: message.created and the
# badge; received messages: the same two; each marker move: message.status to the other
# side, conversation.updated and, for reads, the badge, to oneself; offline DMs add the
# recipient's notification.created), and how long a stream lives after its last entry.
STREAM_ENTRIES_PER_ACTIVE_USER = 20 * 2 + 36 * 2 + 18 * 2 + 10 * 3 + 8
STREAM_TTL_HOURS = 24  # BEATGRAPH_EVENTS_TTL_SECONDS
ONCE_KEY_SECONDS = 3600  # realtime/relay.py ONCE_KEY_SECONDS
PARTICIPANTS_PER_SEND = (16 * 2 + 4 * 6) / 20

# Hardware a production member is assumed to have, and the share of it the plan fills.
APP_CORES_PER_PROCESS = 1  # one gevent worker is one core
NEO4J_LEADER_CORES = 32
NEO4J_FOLLOWER_CORES = 16
REDIS_CORE_PER_SHARD = 1  # Redis executes commands on one thread
UTILISATION = 0.6  # headroom for the peak minute, failover and GC
REDIS_SHARD_MEMORY_GB = 25  # keeps a shard's full resync to its replica short


def per_second(users: int, per_day: float) -> float:
    """Peak-hour rate of something each active user does `per_day` times a day."""
    return users * DAU * per_day / 86_400 * PEAK


def plan(figures: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Every figure of the plan, by registered users."""
    ops, hits, rb, store = (
        figures["ops"],
        figures["db_hits"],
        figures["redis_bytes"],
        figures["store_bytes"],
    )
    ping = figures["ping"]
    out: dict[int, dict[str, Any]] = {}
    for users in USERS:
        rates = {kind: per_second(users, n) for kind, n in MIX.items()}
        sockets = users * DAU * ONLINE_MINUTES / 1440 * PEAK * SOCKETS_PER_ONLINE_USER
        pings = sockets / PING_SECONDS
        app_ms = (
            sum(rates[k] * ops[k]["app_cpu_ms_per_op"] for k in MIX)
            + pings * ping["app_cpu_ms_per_ping"]
        )
        writes = {k for k in MIX if hits.get(k, {}).get("write_transactions")}
        leader_ms = sum(rates[k] * ops[k]["neo4j_cpu_ms_per_op"] for k in writes)
        reads_ms = sum(
            rates[k] * max(ops[k]["neo4j_cpu_ms_per_op"], 0) for k in MIX if k not in writes
        )
        write_tx = sum(rates[k] * hits.get(k, {}).get("write_transactions", 0) for k in MIX)
        read_tx = sum(rates[k] * hits.get(k, {}).get("read_transactions", 0) for k in MIX)
        redis_cmds = (
            sum(rates[k] * ops[k]["redis_commands_per_op"] for k in MIX)
            + pings * ping["redis_commands_per_ping"]
        )
        redis_ms = (
            sum(rates[k] * ops[k]["redis_cpu_ms_per_op"] for k in MIX)
            + pings * ping["redis_cpu_ms_per_ping"]
        )
        active = users * DAU
        online_users = sockets / SOCKETS_PER_ONLINE_USER
        stream_entries = min(STREAM_ENTRIES_PER_ACTIVE_USER * STREAM_TTL_HOURS / 24, 1000)
        sends = sum(rates[k] for k in MIX if k.startswith("send"))
        memory = {
            "streams": active * stream_entries * rb["stream_bytes_per_entry"],
            "once_keys": sends
            * PARTICIPANTS_PER_SEND
            * ONCE_KEY_SECONDS
            * rb["relayed_once_key_bytes"],
            "presence": sockets * rb["presence_one_socket_bytes"],
            "presence_all": online_users * rb["presence_all_bytes_per_user"],
            # A counter lives for its one-minute window: about one per user online.
            "rate_limit": online_users * rb["rate_limit_key_bytes"],
        }
        per_user_store = (
            store["user"]["per_item"]
            + FOLLOWS_PER_USER * store["follow"]["per_item"]
            + CONVERSATIONS_PER_USER * store["conversation"]["per_item"]
        )
        message_store = MESSAGES_PER_USER_PER_YEAR * store["message"]["per_item"]
        out[users] = {
            "rates": rates,
            "sockets": sockets,
            "pings": pings,
            "app_cores": app_ms / 1000,
            "app_processes": app_ms / 1000 / (APP_CORES_PER_PROCESS * UTILISATION),
            "leader_cores": leader_ms / 1000,
            "read_cores": reads_ms / 1000,
            "write_tx": write_tx,
            "read_tx": read_tx,
            "redis_commands": redis_cmds,
            "redis_cores": redis_ms / 1000,
            "redis_memory": memory,
            "presence_all_commands": pings * 2,
            "store_graph": users * per_user_store,
            "store_messages_year": users * message_store,
        }
    return out


def gb(n: float) -> str:
    return f"{n / 1e9:,.1f} GB" if n < 1e12 else f"{n / 1e12:,.1f} TB"


def per_operation(figures: dict[str, Any]) -> str:
    """The measured figures per operation, and what each kind costs at 10M users."""
    ops, hits = figures["ops"], figures["db_hits"]
    at = plan(figures)[10_000_000]["rates"]
    lines = [
        "| operation | app CPU ms | Neo4j CPU ms | Redis CPU ms | Redis commands | db hits "
        "| Neo4j read / write tx | 10M users: peak/s | app cores | Neo4j cores |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in MIX:
        o, h = ops[kind], hits.get(kind, {})
        tx = f"{h.get('read_transactions', 0)} / {h.get('write_transactions', 0)}"
        lines.append(
            f"| {kind} | {o['app_cpu_ms_per_op']:.2f} | {max(o['neo4j_cpu_ms_per_op'], 0):.2f} "
            f"| {o['redis_cpu_ms_per_op']:.2f} | {o['redis_commands_per_op']:.1f} "
            f"| {h.get('db_hits', '–')} | {tx} | {at[kind]:,.0f} "
            f"| {at[kind] * o['app_cpu_ms_per_op'] / 1000:,.2f} "
            f"| {at[kind] * max(o['neo4j_cpu_ms_per_op'], 0) / 1000:,.2f} |"
        )
    ping = figures["ping"]
    pings = plan(figures)[10_000_000]["pings"]
    lines.append(
        f"| server ping (a socket's, every {PING_SECONDS} s) "
        f"| {ping['app_cpu_ms_per_ping']:.2f} | 0 | {ping['redis_cpu_ms_per_ping']:.3f} "
        f"| {ping['redis_commands_per_ping']:.1f} | 0 | 0 / 0 | {pings:,.0f} "
        f"| {pings * ping['app_cpu_ms_per_ping'] / 1000:,.2f} | 0 |"
    )
    return "\n".join(lines)


def tables(figures: dict[str, Any]) -> str:
    """The markdown of docs/scaling.md's computed tables."""
    result = plan(figures)
    lines = [
        "| operation | per active user a day | "
        + " | ".join(f"{u // 1_000_000}M users: peak/s" for u in USERS)
        + " |"
    ]
    lines.append("|---|---|" + "---|" * len(USERS))
    for kind, n in MIX.items():
        lines.append(
            f"| {kind} | {n:g} | "
            + " | ".join(f"{result[u]['rates'][kind]:,.0f}" for u in USERS)
            + " |"
        )
    lines.append(
        "| socket pings (server → client) | | "
        + " | ".join(f"{result[u]['pings']:,.0f}" for u in USERS)
        + " |"
    )
    rows = [
        ("peak concurrent sockets", lambda r: f"{r['sockets']:,.0f}"),
        ("app CPU, cores", lambda r: f"{r['app_cores']:,.1f}"),
        (
            f"app processes (1 core each at {UTILISATION:.0%})",
            lambda r: f"{r['app_processes']:,.0f}",
        ),
        ("Neo4j write transactions/s (leader)", lambda r: f"{r['write_tx']:,.0f}"),
        ("Neo4j leader CPU for writes, cores", lambda r: f"{r['leader_cores']:,.1f}"),
        ("Neo4j read transactions/s (followers)", lambda r: f"{r['read_tx']:,.0f}"),
        ("Neo4j CPU for reads, cores (followers)", lambda r: f"{r['read_cores']:,.1f}"),
        ("Redis commands/s", lambda r: f"{r['redis_commands']:,.0f}"),
        ("Redis CPU, cores", lambda r: f"{r['redis_cores']:,.2f}"),
        (
            "presence-all commands/s (one key, one shard)",
            lambda r: f"{r['presence_all_commands']:,.0f}",
        ),
    ]
    for name in ("streams", "once_keys", "presence", "presence_all", "rate_limit"):
        rows.append((f"Redis memory: {name}", lambda r, name=name: gb(r["redis_memory"][name])))
    rows.append(("Redis memory, total", lambda r: gb(sum(r["redis_memory"].values()))))
    rows.append(("Neo4j store without messages", lambda r: gb(r["store_graph"])))
    rows.append(("Neo4j store: messages per year", lambda r: gb(r["store_messages_year"])))
    lines.append("\n| | " + " | ".join(f"{u // 1_000_000}M users" for u in USERS) + " |")
    lines.append("|---|" + "---|" * len(USERS))
    for name, show in rows:
        lines.append(f"| {name} | " + " | ".join(show(result[u]) for u in USERS) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        measured = json.load(handle)
    print(per_operation(measured) + "\n\n" + tables(measured))
