"""The notification worker: upload fan-out in ranges, the email/push outbox, and the
relay of live message events whose process died before publishing them.

Run it as `flask --app wsgi worker` beside the web processes (`make run` does). Any number
may run: work is claimed under leases in Neo4j, so a crashed worker's share is picked up
by the next one, and nothing it had claimed is lost.
"""

import logging
import threading
from typing import Any

from graph import relaying
from graph.db import Graph
from graph.errors import Unavailable
from graph.events import Publisher, UnitOfWork, asking_safely
from graph.values import new_id
from notifications import delivery, fanout
from notifications.senders import DeliveryFailed, Sender, render
from realtime.presence import Presence

log = logging.getLogger(__name__)

# The most online users a job checks for likers before its ranges (the rest are reached
# by those a moment later), in chunks: each chunk's likers hear a fraction of a second
# after the previous chunk's. Scattered users cost ~1.5 ms each in chunks of 250 and ~1 ms
# in chunks of 500 or 1,000 (1,000 online likers of the 1M-liker producer, warm: the last
# told after 1.1-2.3 s, 1.0 s and 1.0 s, in-process), so 500. Served, with the upload
# request and the worker's poll in front, the last of a thousand was told (committed and
# published) 1.94 s after the upload began (docs/benchmarks.md, "Notifications").
ONLINE_FIRST_LIMIT = 20_000
ONLINE_CHUNK = 500


class NotificationWorker:
    """One worker: relays held message events, then alternates one share of an upload's
    fan-out with one outbox batch, until stopped."""

    def __init__(
        self,
        graph: Graph,
        senders: dict[str, Sender],
        config: dict[str, Any],
        presence: Presence | None = None,
        publisher: Publisher | None = None,
    ) -> None:
        self.graph = graph
        self.presence = presence
        self.publisher = publisher
        self.senders = senders
        self.config = config
        self.claim = new_id()
        self._range: fanout.FanoutRange | None = None  # claimed, not yet told
        self._online: list[str] = []  # online users still to check before that range

    def run_once(self) -> int:
        """Do one step of each kind of work; the number of things done (0: idle). While an
        upload's online likers are being told, email and push wait: those seconds are what
        the people watching notice. Held message events go before both: a message that
        reached no socket is the most visible loss."""
        relayed = relaying.relay_due_events(
            self.graph, self.publisher, self.config["BEATGRAPH_OUTBOX_BATCH"], relaying.HOLD_SECONDS
        )
        fanned_out = self.fan_out_step()
        if self._online:
            return relayed + fanned_out
        return relayed + fanned_out + self.deliver_step()

    def run(self, stop: threading.Event) -> None:
        """Work until `stop` is set; sleep briefly only when there was nothing to do."""
        log.info("notification worker %s started", self.claim)
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Unavailable as exc:
                log.warning("Neo4j unavailable (%s); retrying", exc)
                busy = 0
            except Exception:  # a bad entry must not stop every later one
                log.exception("worker step failed; going on")
                busy = 0
            if not busy:
                stop.wait(self.config["BEATGRAPH_WORKER_POLL_SECONDS"])
        log.info("notification worker %s stopped", self.claim)

    def fan_out_step(self) -> int:
        """Tell one share of an upload's likers: while a job's online-first step lasts, a
        chunk of the users online now; else one range (claimed now, or kept from before the
        online step). The number of things done (0: no upload has likers left)."""
        if self._range is None:
            self._range = fanout.claim_fanout_range(
                self.graph,
                self.claim,
                self.config["BEATGRAPH_FANOUT_BATCH"],
                self.config["BEATGRAPH_WORKER_LEASE_SECONDS"],
            )
            if self._range is None:
                return 0
            if self._range.online_first:
                everyone = self.presence.everyone(ONLINE_FIRST_LIMIT) if self.presence else []
                if not everyone:
                    fanout.end_online_step(self.graph, self._range)
                self._online = everyone
        online = asking_safely(self.presence.online if self.presence else None)
        work = UnitOfWork()
        told: fanout.Told | None
        if self._online:
            chunk, self._online = self._online[:ONLINE_CHUNK], self._online[ONLINE_CHUNK:]
            told = fanout.tell_online_likers(self.graph, work, self._range, chunk, online=online)
            if not self._online:
                fanout.end_online_step(self.graph, self._range)
        else:
            told = fanout.tell_range(self.graph, work, self._range, self.claim, online=online)
            self._range = None
        relaying.publish_committed(self.graph, work, self.publisher)
        return 1 + (len(told.user_ids) if told else 0)

    def deliver_step(self) -> int:
        """Send one batch of due outbox entries and settle each: sent, retried or dead."""
        entries = delivery.claim_outbox_entries(
            self.graph,
            self.claim,
            self.config["BEATGRAPH_OUTBOX_BATCH"],
            int(self.config["BEATGRAPH_WORKER_LEASE_SECONDS"]),
        )
        if not entries:
            return 0
        sent, failed = [], []
        for entry in entries:
            try:
                self.senders[entry["channel"]].send(
                    render(entry, self.config["BEATGRAPH_PUBLIC_URL"])
                )
                sent.append(entry["id"])
            except DeliveryFailed as exc:
                failed.append(self._failure(entry, str(exc)))
            except Exception as exc:  # a bug or bad data in this one entry
                # Any other error is this entry's alone: if it escaped, the batch would
                # never be settled and its entries already sent would be sent again.
                log.exception("outbox entry %s could not be sent", entry["id"])
                failed.append(self._failure(entry, f"{type(exc).__name__}: {exc}"))
        outcome = delivery.finish_outbox_entries(self.graph, self.claim, sent, failed)
        if outcome["dead"]:
            log.warning("%d outbox entr(ies) moved to the dead letters", outcome["dead"])
        return len(entries)

    def _failure(self, entry: dict[str, Any], error: str) -> dict[str, Any]:
        """Exponential backoff per attempt, capped; dead after the last allowed attempt."""
        attempts = entry["attempts"]
        delay = min(
            self.config["BEATGRAPH_OUTBOX_BACKOFF_SECONDS"] * 2 ** (attempts - 1),
            self.config["BEATGRAPH_OUTBOX_BACKOFF_CAP_SECONDS"],
        )
        log.warning(
            "%s %s to %s failed (attempt %d): %s",
            entry["channel"],
            entry["type"],
            entry["recipient_id"],
            attempts,
            error,
        )
        return {
            "id": entry["id"],
            "error": error[:500],
            "retry_in_seconds": float(delay),
            "dead": attempts >= self.config["BEATGRAPH_OUTBOX_MAX_ATTEMPTS"],
        }
