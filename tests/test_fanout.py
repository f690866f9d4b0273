"""An upload's fan-out at a million likers: workers share one job's likers in leased
ranges, online likers go first, every liker is told exactly once, a crashed worker's
range is told by the next, and nothing grows with the likers (not the job, not a range's
cost)."""

import threading
import time

import pytest

from cypher import Q, Query
from graph.db import Transaction
from graph.events import UnitOfWork
from notifications import fanout
from notifications.worker import ONLINE_CHUNK, NotificationWorker
from tests.plans import db_hits, plan_operators


class Sent:
    """A sender that keeps who it was asked to reach (thread-safe: workers race here)."""

    def __init__(self) -> None:
        self.recipients: list[str] = []
        self._lock = threading.Lock()

    def send(self, message) -> None:
        with self._lock:
            self.recipients.append(message.recipient_id)


@pytest.fixture
def pushes():
    return Sent()


@pytest.fixture
def make_worker(app, graph, pushes):
    def make(**settings):
        config = {**app.config, "BEATGRAPH_FANOUT_BATCH": 4, **settings}
        return NotificationWorker(
            graph, {"email": Sent(), "push": pushes}, config, app.extensions["beatgraph.presence"]
        )

    return make


def _likers(graph, producer_id: str, count: int) -> list[str]:
    """`count` more users who like the producer, one millisecond apart, written the way
    like_producer writes; their ids, oldest like first."""
    records = graph.run(
        Query(
            "test.likers",
            """
        MATCH (p:Producer {id: $producer_id})
        UNWIND range(1, $count) AS n
        CREATE (u:User {id: randomUUID(), username: 'bulk' + randomUUID(),
                        display_name: 'Bulk', created_at: datetime.statement()})
        CREATE (u)-[:LIKES {key: u.id + '>' + p.id, user_id: u.id, producer_id: p.id,
                            since: datetime.statement() - duration({milliseconds: 10 * n})}]->(p)
        RETURN u.id AS id ORDER BY n DESC
        """,
            "write",
        ),
        producer_id=producer_id,
        count=count,
    )
    return [record["id"] for record in records]


def _upload(api, producer: dict, title: str = "Night Drive") -> None:
    response = api.client.post(
        f"/api/v1/producers/{producer['id']}/uploads",
        json={"title": title},
        headers=api.service_headers(),
    )
    assert response.status_code == 201, response.get_json()


def _told(graph) -> dict[str, int]:
    """new_upload notifications per recipient."""
    records = graph.run(
        Query(
            "test.told",
            "MATCH (n:Notification {type: 'new_upload'}) "
            "RETURN n.recipient_id AS user, count(*) AS times",
            "read",
        )
    )
    return {record["user"]: record["times"] for record in records}


def _job(graph) -> dict:
    record = graph.single(Query("test.job", "MATCH (j:FanoutJob) RETURN j", "read"))
    assert record is not None
    return dict(record["j"])


def _drain(worker: NotificationWorker, limit: int = 200) -> None:
    for _ in range(limit):
        if not worker.run_once():
            return
    raise AssertionError("the worker never ran out of work")


def test_two_workers_share_one_uploads_likers(api, graph, make_worker):
    """While one worker tells a share of an upload's likers, a second takes the next
    share of the same upload instead of waiting for the first to finish the job."""
    kofi = api.create_producer("kofi")
    fans = _likers(graph, kofi["id"], 12)
    _upload(api, kofi)
    first, second = make_worker(), make_worker()
    assert first.fan_out_step() == 1 + 4  # one range of four likers
    assert second.fan_out_step() == 1 + 4  # the next four, the same job
    while first.fan_out_step() or second.fan_out_step():
        pass
    assert _told(graph) == {fan: 1 for fan in fans}
    assert _job(graph)["state"] == "done"
    assert _job(graph)["notified"] == 12


def test_racing_workers_tell_every_liker_once_online_ones_first(
    app, api, graph, make_worker, pushes
):
    """Three workers racing through 300 likers, 40 of them online: the online ones hear
    before any range is told, and every liker gets one notification and one push."""
    kofi = api.create_producer("kofi")
    fans = _likers(graph, kofi["id"], 300)
    online = fans[-40:]  # the newest likes: the last a walk in like order would reach
    presence = app.extensions["beatgraph.presence"]
    for n, fan in enumerate(online):
        presence.renew(fan, f"socket-{n}")
    _upload(api, kofi)
    starter = make_worker(BEATGRAPH_FANOUT_BATCH=20)
    starter.fan_out_step()  # claims the first range, tells the online likers before it
    assert set(_told(graph)) == set(online)
    workers = [starter] + [make_worker(BEATGRAPH_FANOUT_BATCH=20) for _ in range(2)]
    threads = [threading.Thread(target=_drain, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert _told(graph) == {fan: 1 for fan in fans}
    assert sorted(pushes.recipients) == sorted(fans)
    assert _job(graph)["notified"] == 300


def test_the_job_keeps_nothing_that_grows_with_the_likers(app, api, graph, make_worker):
    """After the online-first step and a range, the job holds a cursor and counts, no
    list of who was told (which at a million likers would be carried by every batch)."""
    kofi = api.create_producer("kofi")
    fans = _likers(graph, kofi["id"], 30)
    presence = app.extensions["beatgraph.presence"]
    for n, fan in enumerate(fans[::2]):
        presence.renew(fan, f"socket-{n}")
    _upload(api, kofi)
    worker = make_worker()
    worker.fan_out_step()
    worker.fan_out_step()
    assert len(_told(graph)) == 15 + 4 - 2  # the online half, then a range of four (two online)
    lists = {key: value for key, value in _job(graph).items() if isinstance(value, list)}
    assert lists == {}


def test_a_range_left_by_a_crashed_worker_is_told_by_the_next_once(api, graph, make_worker):
    """A worker that claims a range and dies holds up only that range, until its lease
    runs out; the others go on with the rest, and then tell it, nobody twice."""
    kofi = api.create_producer("kofi")
    fans = _likers(graph, kofi["id"], 10)
    _upload(api, kofi)
    successor = make_worker()
    assert successor.fan_out_step() == 1 + 4  # the first range (and the online step: nobody)
    abandoned = fanout.claim_fanout_range(graph, "crashed", batch_size=4, lease_seconds=600)
    assert abandoned is not None and abandoned.likers == 4
    while successor.fan_out_step():  # the last two, at once
        pass
    assert len(_told(graph)) == 6
    assert _job(graph)["state"] == "cut"  # one range still out
    graph.run(  # ten minutes later: the crashed worker's lease has run out
        Query("test.expire", "MATCH (r:FanoutRange) SET r.next_attempt_at = datetime()", "write")
    )
    assert successor.fan_out_step() == 1 + 4
    assert _told(graph) == {fan: 1 for fan in fans}
    assert _job(graph)["state"] == "done"
    assert fanout.tell_range(graph, UnitOfWork(), abandoned, "crashed", online=set) is None


def test_the_online_step_has_the_job_to_itself_until_it_ends(app, api, graph, make_worker):
    """While one worker tells an upload's online likers (two chunks of online users),
    the other workers leave that upload alone, so those seconds go to the people watching;
    once the step ends they share the ranges again."""
    kofi = api.create_producer("kofi")
    fans = _likers(graph, kofi["id"], 20)
    presence = app.extensions["beatgraph.presence"]
    for n in range(ONLINE_CHUNK + 50):
        presence.renew(fans[n] if n < 20 else f"someone-{n}", f"socket-{n}")
    _upload(api, kofi)
    first, second = make_worker(), make_worker()
    first.fan_out_step()  # the first range, and the first chunk of online users
    assert second.fan_out_step() == 0
    first.fan_out_step()  # the last chunk: the step ends
    assert set(_told(graph)) == set(fans)
    assert second.fan_out_step() == 1  # a range of four, all told already
    assert _job(graph)["state"] == "pending"


def _wait_until_a_transaction_waits_for_a_lock(graph) -> None:
    deadline = time.monotonic() + 20
    with graph.driver.session(database=graph.database) as session:
        while time.monotonic() < deadline:
            blocked = session.run(
                "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' "
                "RETURN count(*) AS n"
            ).single()
            if blocked is not None and blocked["n"]:
                return
            time.sleep(0.05)
    raise AssertionError("no transaction waited for the job's lock")


def test_a_worker_that_waited_for_the_jobs_lock_leaves_the_online_step_alone(api, graph):
    """Two workers reach a new upload at once: the second waits for the job's lock while
    the first cuts the first range and takes the online-first step. Once it has the lock
    it finds the job no longer due and cuts nothing, so the online likers' seconds are
    not shared with a range (the 1M-liker bench saw the second worker cut one at once)."""
    kofi = api.create_producer("kofi")
    _likers(graph, kofi["id"], 12)
    _upload(api, kofi)
    second: dict = {}
    with graph.driver.session(database=graph.database) as session:
        tx = session.begin_transaction()
        first = fanout._cut(Transaction(graph, tx), "first", 4, 600)
        assert first is not None and first.online_first
        waiting = threading.Thread(
            target=lambda: second.update(
                range=fanout.claim_fanout_range(graph, "second", batch_size=4, lease_seconds=600)
            )
        )
        waiting.start()
        _wait_until_a_transaction_waits_for_a_lock(graph)
        tx.commit()
    waiting.join(timeout=30)
    assert second == {"range": None}


def test_an_upload_with_no_likers_is_done_at_its_first_cut(api, graph, make_worker):
    kofi = api.create_producer("kofi")
    _upload(api, kofi)
    assert make_worker().fan_out_step() == 0
    assert _job(graph)["state"] == "done"


# -- costs that do not grow with the likers ---------------------------------------------


def _cut_and_tell_hits(api, graph, producer: dict) -> tuple[int, int]:
    """The db hits of cutting one range of ten off a fresh upload, and of telling it."""
    _upload(api, producer, "Hit")
    locked = graph.single(Q.fanout.lock_due_fanout_job)
    assert locked is not None
    job = locked["job"]
    params = {
        "job_id": job["id"],
        "claim": "probe",
        "producer_id": producer["id"],
        "upload_at": job["upload_at"],
        "after_since": job["after_since"],
        "after_user_id": job["after_user_id"],
        "batch_size": 10,
        "lease_seconds": 600,
        "online_seconds": 10,
    }
    cut = db_hits(graph, Q.fanout.cut_fanout_range.text, **params)
    [record] = graph.run(
        Query(
            "test.range",
            "MATCH (r:FanoutRange {job_id: $job_id}) RETURN r {.producer_id, .from_user_id,"
            " .to_user_id, from_since: toString(r.from_since), to_since: toString(r.to_since),"
            " upload_at: toString(r.upload_at)} AS r",
            "read",
        ),
        job_id=job["id"],
    )
    walk = db_hits(graph, Q.fanout.list_range_likers.text, **record["r"])
    graph.run(Query("test.finish", "MATCH (j:FanoutJob) SET j.state = 'done'", "write"))
    return cut, walk


def test_cutting_and_walking_a_range_read_the_likes_index_in_order(graph):
    """A cut and a range walk are index range seeks in (since, user_id) order, never a
    scan of every like sorted afterwards."""
    for query in (Q.fanout.cut_fanout_range, Q.fanout.list_range_likers):
        operators = plan_operators(graph, query.text)
        assert "DirectedRelationshipIndexSeek" in operators, (query.name, operators)
        assert "NodeByLabelScan" not in operators, (query.name, operators)
        assert not {"Top", "Sort"} & set(operators), (query.name, operators)


def test_a_range_costs_the_range_not_the_likers(api, graph):
    """Cutting a range of ten and walking it cost about the same for a producer with 20
    likers as for one with 2,000."""
    small, big = api.create_producer("small"), api.create_producer("big")
    _likers(graph, small["id"], 20)
    small_cut, small_walk = _cut_and_tell_hits(api, graph, small)
    _likers(graph, big["id"], 2000)
    big_cut, big_walk = _cut_and_tell_hits(api, graph, big)
    assert big_cut < small_cut * 1.5, (small_cut, big_cut)
    assert big_walk < small_walk * 1.5, (small_walk, big_walk)


def _settle_hits(api, graph, producer: dict, fans: list[str]) -> dict[str, int]:
    """The db hits of the online check (ten online users), the count, the end of the
    online step and the finish of a range, for a fresh upload of the producer."""
    _upload(api, producer, "Hit")
    claimed = fanout.claim_fanout_range(graph, "probe", batch_size=10, lease_seconds=600)
    assert claimed is not None
    hits = {
        "find_online_likers": db_hits(
            graph,
            Q.fanout.find_online_likers.text,
            online_ids=fans[:10],
            producer_id=producer["id"],
            upload_at=claimed.upload_at,
            preference="new_uploads",
        ),
        "count_fanout_told": db_hits(
            graph, Q.fanout.count_fanout_told.text, job_id=claimed.job_id, told=10
        ),
        "end_online_step": db_hits(graph, Q.fanout.end_online_step.text, job_id=claimed.job_id),
        "finish_fanout_range": db_hits(
            graph, Q.fanout.finish_fanout_range.text, range_id=claimed.id, job_id=claimed.job_id
        ),
    }
    graph.run(Query("test.finish", "MATCH (j:FanoutJob) SET j.state = 'done'", "write"))
    return hits


def test_settling_a_range_and_the_online_check_cost_the_same_at_any_likers(api, graph):
    """The online check of ten users, a job's count, the end of its online step and a
    range's finish cost about the same for a producer with 20 likers as with 2,000."""
    small, big = api.create_producer("small"), api.create_producer("big")
    before = _settle_hits(api, graph, small, _likers(graph, small["id"], 20))
    after = _settle_hits(api, graph, big, _likers(graph, big["id"], 2000))
    for name, hits in before.items():
        assert after[name] <= hits * 1.5, (name, hits, after[name])
