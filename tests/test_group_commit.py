"""Group commit (graph/group_commit.py): who waits for whom, and who hears what. Pure
threads, no stack; the sends that use it are tested end to end in test_messages.py and
test_realtime.py."""

import threading
from concurrent.futures import ThreadPoolExecutor

from graph.group_commit import MAX_BATCH, GroupCommit


class Recorder:
    """A commit that records its batches and, for the first one, waits until released, so
    a test can queue callers behind a running batch."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.first_running = threading.Event()
        self.release_first = threading.Event()
        self.fail_on = fail_on

    def __call__(self, items: list[str]) -> list[str]:
        self.batches.append(list(items))
        if len(self.batches) == 1:
            self.first_running.set()
            assert self.release_first.wait(5)
        if self.fail_on in items:
            raise RuntimeError("the transaction failed")
        return [item.upper() for item in items]


def _queue_behind_first(commit: Recorder, group: GroupCommit, items: list[str], key="c1"):
    """Start `items[0]` (it commits alone), queue the rest behind it, then let it finish;
    each caller's outcome (its result, or the exception it raised)."""

    def call(item: str):
        try:
            return group.submit(key, item)
        except RuntimeError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        first = pool.submit(call, items[0])
        assert commit.first_running.wait(5)
        rest = []
        for item in items[1:]:
            rest.append(pool.submit(call, item))
            while sum(len(q) for q in group._queues.values()) < len(rest):
                threading.Event().wait(0.001)  # until the caller has queued
        commit.release_first.set()
        return [first.result(5)] + [future.result(5) for future in rest]


def test_callers_arriving_during_a_commit_go_together_in_the_next_in_order():
    commit = Recorder()
    group = GroupCommit(commit)
    results = _queue_behind_first(commit, group, ["a", "b", "c", "d"])
    assert results == ["A", "B", "C", "D"]
    assert commit.batches == [["a"], ["b", "c", "d"]]


def test_a_failed_batch_fails_each_of_its_callers_and_no_other():
    commit = Recorder(fail_on="c")
    group = GroupCommit(commit)
    results = _queue_behind_first(commit, group, ["a", "b", "c"])
    assert results[0] == "A"
    assert [type(r) for r in results[1:]] == [RuntimeError, RuntimeError]
    assert group.submit("c1", "e") == "E"  # the key is free again


def test_keys_do_not_wait_for_each_other():
    commit = Recorder()
    group = GroupCommit(commit)
    with ThreadPoolExecutor(max_workers=2) as pool:
        blocked = pool.submit(group.submit, "c1", "a")
        assert commit.first_running.wait(5)
        assert pool.submit(group.submit, "c2", "x").result(5) == "X"
        commit.release_first.set()
        assert blocked.result(5) == "A"


def test_a_long_queue_is_cut_into_batches_of_at_most_max_batch():
    queued = MAX_BATCH + 5
    commit = Recorder()
    group = GroupCommit(commit)
    items = [f"m{n}" for n in range(queued + 1)]
    results = _queue_behind_first(commit, group, items)
    assert results == [item.upper() for item in items]
    assert [len(batch) for batch in commit.batches] == [1, MAX_BATCH, queued - MAX_BATCH]
    assert [item for batch in commit.batches for item in batch] == items
