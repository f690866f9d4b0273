"""Group commit: writes to one key that arrive while a transaction for that key is running
wait for it, then go together in the next one (sends use one key for the whole process:
graph/messages.py).

Sends into one conversation run one at a time anyway: each takes the conversation's lock
in Neo4j and holds it until its commit. Batching them pays the transaction's fixed costs
(begin, commit, the log flush, the lock) once per batch instead of once per message,
while each caller is still answered only after the commit that holds its write. The
first caller for an idle key commits alone; whoever arrives meanwhile queues, and when a
batch ends the first of the queue leads the next batch of everything queued so far.
Within a process only: other processes batch their own, and Neo4j's lock orders them.
"""

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 32  # a batch's transaction stays short; the rest lead the next one


class _Waiter(Generic[Item, Result]):
    __slots__ = ("item", "woken", "batch", "result", "error")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.woken = threading.Event()
        self.batch: list[_Waiter[Item, Result]] | None = None  # set when it must lead
        self.result: Result | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[Item, Result]):
    """Runs `commit(items)` (one transaction, results in order) for batches of one key."""

    def __init__(self, commit: Callable[[Sequence[Item]], Sequence[Result]]) -> None:
        self._commit = commit
        self._lock = threading.Lock()  # gevent patches it to a greenlet lock
        self._queues: dict[Hashable, list[_Waiter[Item, Result]]] = {}

    def submit(self, key: Hashable, item: Item) -> Result:
        """Commit `item` with whatever else is queued for `key`; its result once committed
        (or the batch's error)."""
        waiter: _Waiter[Item, Result] = _Waiter(item)
        with self._lock:
            queue = self._queues.get(key)
            if queue is None:
                self._queues[key] = []  # a batch is running, nobody queued behind it
                waiter.batch = [waiter]
            else:
                queue.append(waiter)
        if waiter.batch is None:
            waiter.woken.wait()
        if waiter.batch is not None:
            self._lead(key, waiter.batch)
        if waiter.error is not None:
            raise waiter.error
        return waiter.result  # type: ignore[return-value]  # set by the batch's leader

    def _lead(self, key: Hashable, batch: list[_Waiter[Item, Result]]) -> None:
        try:
            results = self._commit([waiter.item for waiter in batch])
            for waiter, result in zip(batch, results, strict=True):
                waiter.result = result
        except BaseException as exc:  # every caller of the batch hears of it
            for waiter in batch:
                waiter.error = exc
        finally:
            self._hand_over(key)
            for waiter in batch[1:]:
                waiter.woken.set()

    def _hand_over(self, key: Hashable) -> None:
        """The next batch: what queued meanwhile (up to MAX_BATCH), led by its first."""
        with self._lock:
            queue = self._queues[key]
            if not queue:
                del self._queues[key]
                return
            batch, self._queues[key] = queue[:MAX_BATCH], queue[MAX_BATCH:]
        batch[0].batch = batch
        batch[0].woken.set()
