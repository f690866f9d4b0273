"""A process's share of each rate-limit window, reserved in Redis a few requests at a time.

Counting every request in Redis cost a round trip of 0.2-0.3 ms, a quarter of a 1 ms read
(docs/benchmarks.md, "Leased rate-limit shares"). Instead a process reserves `lease_size`
requests of a caller's window at once (one INCRBY) and spends them locally; it asks Redis
again only when its share is spent or the window has ended.

The budget is never exceeded, whatever the number of processes: Redis counts every
reserved request, spent or not, and a share holds only what still fitted in the budget.
The price is what a process holds unspent: near the end of a busy window, other processes
may refuse up to `lease_size - 1` requests each too early. A share is a fiftieth of the
budget (at most 16 requests), so that is under 2 % per process; a budget under 100 is
counted one request at a time, exactly.
"""

import threading
import time
from dataclasses import dataclass
from typing import Protocol

from cachetools import LRUCache
from limits import RateLimitItem

LARGEST_LEASE = 16
LEASES_PER_WINDOW = 50


class CountingStorage(Protocol):
    def count(self, key: str, expiry: int, amount: int = 1) -> tuple[int, float]: ...


def lease_size(limit: RateLimitItem) -> int:
    """How many requests of `limit`'s window a process reserves at once."""
    return max(1, min(LARGEST_LEASE, limit.amount // LEASES_PER_WINDOW))


@dataclass
class _Share:
    """The requests of one window this process reserved: `counted_before` were counted in
    Redis before them, `granted` of them fit in the budget, `spent` are used."""

    counted_before: int
    granted: int
    spent: int
    resets_at: float

    def take(self, now: float) -> bool:
        if self.spent < self.granted and now < self.resets_at:
            self.spent += 1
            return True
        return False


class LeasedCounts:
    """Counts requests in rate-limit windows, from local shares leased from `storage`."""

    def __init__(self, storage: CountingStorage, size: int = 100_000) -> None:
        self.storage = storage
        self._shares: LRUCache[str, _Share] = LRUCache(maxsize=size)
        self._lock = threading.Lock()  # shared by the threads or greenlets of a process

    def count(self, limit: RateLimitItem, key: str) -> tuple[int, float]:
        """Count one request of `key` in `limit`'s current window: (requests counted in it
        so far, this one included; when the window ends). More than `limit.amount` means
        refuse. Raises the storage's errors when a new share is needed and Redis fails."""
        window_key = limit.key_for(key)
        with self._lock:
            share = self._shares.get(window_key)
            if share is not None and share.take(time.time()):
                return share.counted_before + share.spent, share.resets_at
        size = lease_size(limit)
        counted, resets_at = self.storage.count(window_key, limit.get_expiry(), amount=size)
        before = counted - size
        share = _Share(
            before, granted=max(0, min(size, limit.amount - before)), spent=1, resets_at=resets_at
        )
        with self._lock:
            self._shares[window_key] = share
        return before + 1, resets_at
