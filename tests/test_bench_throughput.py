"""bench-throughput's store check: the figures it prints are only worth something if it
notices a lost, duplicated or out-of-sequence message."""

from bench.throughput_beatgraph import BeatgraphSide
from cypher import Query

DUPLICATE = Query(
    "test.duplicate_message",
    """
    MATCH (c:Conversation {id: $conversation_id})
    CREATE (:Message {id: randomUUID(), conversation_id: c.id, seq: $seq, sender_id: 'x',
                      client_id: $client_id, body: 'again', created_at: datetime()})""",
    "write",
)


def test_store_check_passes_acknowledged_sends(app, api, graph):
    """Every acknowledged message stored once after the mark, in gapless seqs, passes."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    conversation = api.start(maya, theo)
    api.send(maya, conversation, "before the phase", client_id="old")
    side = BeatgraphSide(None, graph, api.secret)  # type: ignore[arg-type]
    mark = side.mark(conversation["id"])
    for client_id in ("a", "b", "c"):
        api.send(theo, conversation, "in the phase", client_id=client_id)
    check = side.verify(conversation["id"], mark, ["a", "b", "c"])
    assert check == {
        "durable": True,
        "exactly_once": True,
        "seqs_gapless": True,
        "stored": 3,
        "stored_unacknowledged": 0,
    }


def test_store_check_reports_lost_duplicated_and_out_of_sequence(app, api, graph):
    """An acknowledged message missing, a client_id stored twice, a repeated seq: each fails."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    conversation = api.start(maya, theo)
    side = BeatgraphSide(None, graph, api.secret)  # type: ignore[arg-type]
    mark = side.mark(conversation["id"])
    api.send(maya, conversation, "one", client_id="a")
    lost = side.verify(conversation["id"], mark, ["a", "never-stored"])
    assert lost["durable"] is False
    graph.run(DUPLICATE, conversation_id=conversation["id"], seq=1, client_id="a")
    twice = side.verify(conversation["id"], mark, ["a"])
    assert (twice["exactly_once"], twice["seqs_gapless"]) == (False, False)
