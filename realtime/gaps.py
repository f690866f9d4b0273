"""The gap mark: the stream id before which a resume may have missed events.

The relay replays from a client's `since` only if the streams provably still follow it.
Trimming and expiry show in the stream itself (the entry `since` is gone); a loss does not
always: events dropped while Redis was away or refused writes are in no stream, and a
Redis restored from an older snapshot still holds `since` but not what came after. So
whenever events may have gone missing, a process moves `<prefix>events-gap` to Redis's
current time, and every `since` older than it is answered with `resync.required`.
"""

import logging
import threading

from redis import Redis
from redis.exceptions import ResponseError

from realtime.connection import stream_id_key

log = logging.getLogger(__name__)

# Move the mark to Redis's "now" as a stream id; never backwards, as processes race.
_MARK = """
local now = redis.call('TIME')
local ms = now[1] .. string.format('%03d', math.floor(tonumber(now[2]) / 1000))
local old = redis.call('GET', KEYS[1])
if not old or tonumber(string.match(old, '^%d+')) < tonumber(ms) then
  redis.call('SET', KEYS[1], ms .. '-0')
end
return redis.call('GET', KEYS[1])
"""


class GapMark:
    """One process's view of the gap mark: it notes losses and records them in Redis."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.key = prefix + "events-gap"
        # The run id of the Redis instance the streams were last checked against.
        self.epoch_key = prefix + "events-epoch"
        self._mark = redis.register_script(_MARK)
        self._pending = threading.Event()  # events were lost; the mark is not moved yet
        self._warned_no_info = False

    def note_loss(self) -> None:
        """Some events may be in no stream (dropped, or their write failed)."""
        self._pending.set()

    def record_pending(self) -> None:
        """Move the mark if a loss is noted: called before writing newer entries."""
        if self._pending.is_set():
            self.move()

    def move(self) -> None:
        """Record that events up to now may be missing from the streams."""
        self._mark(keys=[self.key])
        self._pending.clear()

    def check_redis(self) -> None:
        """On (re)connecting: move the mark after a noted loss, or if this Redis is not the
        instance that wrote the streams (its run id changes on every restart)."""
        run_id = self._run_id()
        if run_id and self.redis.get(self.epoch_key) != run_id.encode():
            self._pending.set()
        self.record_pending()
        if run_id:
            self.redis.set(self.epoch_key, run_id)

    def allows(self, since: str, mark: bytes | None) -> bool:
        """Whether a resume from `since` starts after the mark (read as `mark`)."""
        return mark is None or stream_id_key(since) >= stream_id_key(mark.decode())

    def _run_id(self) -> str | None:
        try:
            return str(self.redis.info("server")["run_id"])
        except ResponseError as exc:  # INFO refused by an ACL: only outages are seen
            if not self._warned_no_info:
                log.warning("Redis refuses INFO (%s): a restart is noticed only as an outage", exc)
                self._warned_no_info = True
            return None
