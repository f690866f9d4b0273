// Records a beat the producer uploaded and queues its "New Uploads" fan-out as a durable
// job. The request writes two nodes whatever the likers count; the worker notifies the
// likers in batches after commit.
// params: producer_id, beat_id, title
// returns: no row if the producer is missing; else beat {id, title, created_at, producer_id}
// mode: write
MATCH (p:Producer {id: $producer_id})
CREATE (p)-[:UPLOADED]->(b:Beat {id: $beat_id, title: $title, created_at: datetime.statement()})
CREATE (:FanoutJob {id: randomUUID(), beat_id: b.id, producer_id: p.id,
  upload_at: b.created_at, after_since: datetime({epochMillis: 0}), after_user_id: '',
  notified: 0, state: 'pending', next_attempt_at: datetime.statement(),
  created_at: datetime.statement()})
RETURN b {.id, .title, .created_at, producer_id: p.id} AS beat
