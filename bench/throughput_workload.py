"""The bench-throughput workload, written once and run against any `Side` (beatgraph, or
the Matrix peer): the same users, conversations, phases, counts and clocks for both.

Six accounts (a 6-member group needs six; the first two also share the DM) and 40 more
for 20 DMs. Phases, in order, after an untimed warm-up:
1. 500 sequential sends into the DM (the recipient has no listener);
2. 300 sends timed to the recipient's listener, one at a time, then 300 offered at 50/s;
3. 100 typing starts timed to the other member (each followed by an untimed stop), one
   pair every 120 ms;
4. 8 senders (separate logins of the group's members) back to back into the group for 10 s,
   every member listening; then every acknowledged message checked in the store and on
   every member's listener;
5. 40 senders into 20 DMs for 10 s (nobody listening), checked in the store.
"""

import itertools
import queue
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from bench.load import CpuMeter, LoadResult, Send, closed_loop, latency_summary, paced

SEQUENTIAL = 500
TO_RECIPIENT = 300
OFFERED_RATE = 50
TYPING = 100
TYPING_EVERY = 0.12
GROUP_SENDERS = 8
DM_PAIRS = 20
SECONDS = 10
WARMUP_MESSAGES = 1500
WARMUP_ROUND_SECONDS = 8
WARMUP_MIN_SECONDS = 90
WARMUP_MAX_SECONDS = 180
ARRIVAL_TIMEOUT = 10.0


class Listener:
    """A member's live view (a socket, or a long-poll loop): first arrival time and count of
    each message id, and typing changes, in arrival order."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.counts: Counter[str] = Counter()
        self.typing: list[tuple[str, str, float]] = []
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self._changed = threading.Condition()

    def message(self, message_id: str) -> None:
        now = time.perf_counter()
        with self._changed:
            self.counts[message_id] += 1
            self.arrivals.setdefault(message_id, now)
            self._changed.notify_all()

    def typed(self, user_id: str, state: str) -> None:
        now = time.perf_counter()
        with self._changed:
            self.typing.append((user_id, state, now))
            self._changed.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float = ARRIVAL_TIMEOUT) -> bool:
        with self._changed:
            return self._changed.wait_for(predicate, timeout)

    def stop(self) -> None:
        self.stopping.set()


class Side(Protocol):
    """What the workload needs from a system under test."""

    name: str
    users: list[str]  # the six group members; users[0] and users[1] share `dm`
    dm: str
    group: str
    dm_pairs: list[tuple[str, str, str]]  # (user, user, conversation)

    def prepare(self, run: str) -> None: ...
    def sender(self, user: str, conversation: str) -> Send: ...
    def listener(self, user: str) -> Listener: ...
    def typist(self, user: str, conversation: str) -> Callable[[str], None]: ...
    def mark(self, conversation: str) -> Any: ...
    def verify(self, conversation: str, mark: Any, acknowledged: list[str]) -> dict: ...
    def servers(self) -> dict[str, int]: ...
    def close(self) -> None: ...


def _listening(side: Side, users: list[str]) -> list[Listener]:
    listeners = [side.listener(user) for user in users]
    for listener in listeners:
        if not listener.ready.wait(30):
            raise RuntimeError(f"{side.name}: a listener did not become ready in 30 s")
    time.sleep(1)  # the server registers a socket just after the handshake
    return listeners


def _sequential(side: Side, run: str) -> dict:
    send = side.sender(side.users[0], side.dm)
    samples = []
    for n in range(SEQUENTIAL):
        started = time.perf_counter()
        if not send(f"s{run}-{n}"):
            raise RuntimeError(f"{side.name}: a sequential send failed")
        samples.append(time.perf_counter() - started)
    return latency_summary(samples)


def _to_recipient(side: Side, run: str, listener: Listener) -> tuple[dict, dict]:
    send = side.sender(side.users[0], side.dm)
    one_by_one = []
    for n in range(TO_RECIPIENT):
        message_id = f"r{run}-{n}"
        started = time.perf_counter()
        send(message_id)
        if listener.wait(lambda message_id=message_id: message_id in listener.arrivals):
            one_by_one.append(listener.arrivals[message_id] - started)
    pool: queue.Queue[Send] = queue.Queue()
    for _ in range(8):
        pool.put(side.sender(side.users[0], side.dm))
    sent_at: dict[str, float] = {}

    def offer(n: int) -> None:
        sender = pool.get()
        message_id = f"p{run}-{n}"
        sent_at[message_id] = time.perf_counter()
        try:
            sender(message_id)
        finally:
            pool.put(sender)

    achieved = paced(offer, TO_RECIPIENT, OFFERED_RATE)
    listener.wait(lambda: all(m in listener.arrivals for m in sent_at))
    at_rate = latency_summary(
        [listener.arrivals[m] - t for m, t in sent_at.items() if m in listener.arrivals]
    )
    at_rate.update(offered_per_s=OFFERED_RATE, achieved_per_s=round(achieved, 1))
    return latency_summary(one_by_one), at_rate


def _typing(side: Side, listener: Listener) -> dict:
    typist, user = side.typist(side.users[0], side.dm), side.users[0]
    started_at = time.perf_counter()
    samples = []
    for n in range(TYPING):
        # A start and a stop per TYPING_EVERY seconds: ~17 frames/s, inside beatgraph's
        # default socket frame budget (20/s), as a typing client is.
        time.sleep(max(0.0, started_at + n * TYPING_EVERY - time.perf_counter()))
        for state in ("start", "stop"):
            seen = len(listener.typing)
            started = time.perf_counter()
            typist(state)
            arrived = listener.wait(
                lambda seen=seen, state=state: any(
                    u == user and s == state for u, s, _ in listener.typing[seen:]
                )
            )
            if arrived and state == "start":
                samples.append(
                    next(t for u, s, t in listener.typing[seen:] if u == user and s == state)
                    - started
                )
    return latency_summary(samples)


def _delivery(listeners: list[Listener], acknowledged: list[str]) -> dict:
    for listener in listeners:
        listener.wait(lambda listener=listener: all(m in listener.arrivals for m in acknowledged))
    missing = sum(1 for lis in listeners for m in acknowledged if m not in lis.arrivals)
    repeated = sum(1 for lis in listeners for m in acknowledged if lis.counts[m] > 1)
    return {
        "delivered_once_to_every_member": missing == 0 and repeated == 0,
        "deliveries_missing": missing,
        "deliveries_repeated": repeated,
    }


def _group(side: Side, run: str) -> dict:
    listeners = _listening(side, side.users)
    senders = [
        (side.sender(side.users[n % len(side.users)], side.group), f"g{run}-{n}")
        for n in range(GROUP_SENDERS)
    ]
    mark = side.mark(side.group)
    with CpuMeter(side.servers()) as cpu:
        result = closed_loop(senders, SECONDS)
    summary = {
        **result.summary(),
        **side.verify(side.group, mark, result.acknowledged),
        **_delivery(listeners, result.acknowledged),
        "cpu_cores": cpu.cores,
    }
    for listener in listeners:
        listener.stop()
    return summary


def _dms(side: Side, run: str) -> dict:
    senders, conversation_of = [], {}
    for i, (a, b, conversation) in enumerate(side.dm_pairs):
        for who, user in (("a", a), ("b", b)):
            label = f"d{run}-{i}{who}"
            conversation_of[label] = conversation
            senders.append((side.sender(user, conversation), label))
    marks = {conversation: side.mark(conversation) for _, _, conversation in side.dm_pairs}
    with CpuMeter(side.servers()) as cpu:
        result = closed_loop(senders, SECONDS)
    return {
        **result.summary(),
        **verify_many(side, marks, conversation_of, result),
        "cpu_cores": cpu.cores,
    }


def verify_many(
    side: Side, marks: dict[str, Any], conversation_of: dict[str, str], result: LoadResult
) -> dict:
    """Each conversation's check, combined: every flag must hold in all of them."""
    by_conversation: dict[str, list[str]] = {conversation: [] for conversation in marks}
    for message_id in result.acknowledged:
        by_conversation[conversation_of[message_id.rsplit("-", 1)[0]]].append(message_id)
    combined: dict[str, Any] = {}
    for conversation, acknowledged in by_conversation.items():
        for key, value in side.verify(conversation, marks[conversation], acknowledged).items():
            if key not in combined:
                combined[key] = value
            elif isinstance(value, bool):
                combined[key] = combined[key] and value
            elif value is not None:
                combined[key] += value
    return combined


def _warm_up(side: Side, run: str) -> dict:
    """Untimed: the group's and the DMs' senders back to back, in rounds, until WARMUP_MESSAGES
    are acknowledged and WARMUP_MIN_SECONDS have passed (or WARMUP_MAX_SECONDS), so the
    server has compiled and cached its send path before anything is timed (the first sends
    after a Neo4j start took 24 s). The bench starts Neo4j anew: a count alone ended the
    warm-up after one round once sends got faster, and the raw driver floor, timed two
    minutes after the start, reached half what it reached after five."""
    senders = [
        (side.sender(side.users[n % len(side.users)], side.group), f"wg{run}-{n}")
        for n in range(GROUP_SENDERS)
    ]
    senders += [
        (side.sender(a, conversation), f"wd{run}-{i}")
        for i, (a, _, conversation) in enumerate(side.dm_pairs)
    ]
    acknowledged, errors, started = 0, 0, time.perf_counter()
    for round_number in itertools.count():
        result = closed_loop(
            [(send, f"{label}r{round_number}") for send, label in senders], WARMUP_ROUND_SECONDS
        )
        acknowledged, errors = acknowledged + len(result.acknowledged), errors + result.errors
        elapsed = time.perf_counter() - started
        warm = acknowledged >= WARMUP_MESSAGES and elapsed >= WARMUP_MIN_SECONDS
        if warm or elapsed >= WARMUP_MAX_SECONDS:
            return {"acknowledged": acknowledged, "errors": errors, "seconds": round(elapsed, 1)}
    raise AssertionError("unreachable")


def measure(side: Side, log: Callable[[str], None]) -> dict[str, Any]:
    """Every phase against `side`; one dict of figures (the same keys for every side)."""
    run = uuid.uuid4().hex[:6]
    side.prepare(run)
    log(f"{side.name}: warming up")
    results: dict[str, Any] = {"warm_up": _warm_up(side, run), "cpu_cores": {}}
    log(f"{side.name}: {SEQUENTIAL} sequential sends")
    with CpuMeter(side.servers()) as cpu:
        results["send_ms"] = _sequential(side, run)
    results["cpu_cores"]["sequential"] = cpu.cores
    log(f"{side.name}: send → recipient, one by one and at {OFFERED_RATE}/s; typing")
    recipient = _listening(side, [side.users[1]])[0]
    with CpuMeter(side.servers()) as cpu:
        results["send_to_recipient_ms"], results["send_to_recipient_at_50_per_s_ms"] = (
            _to_recipient(side, run, recipient)
        )
        results["typing_to_other_ms"] = _typing(side, recipient)
    results["cpu_cores"]["to_recipient_and_typing"] = cpu.cores
    recipient.stop()
    log(f"{side.name}: {GROUP_SENDERS} senders into one group for {SECONDS} s")
    results["group_8_senders"] = _group(side, run)
    log(f"{side.name}: {2 * DM_PAIRS} senders into {DM_PAIRS} DMs for {SECONDS} s")
    results["dms_40_senders"] = _dms(side, run)
    side.close()
    phases = [
        *results["cpu_cores"].values(),
        results["group_8_senders"]["cpu_cores"],
        results["dms_40_senders"]["cpu_cores"],
    ]
    results["generator_cpu_cores_max"] = max(phase["generator"] for phase in phases)
    return results
