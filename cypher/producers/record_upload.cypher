// Records a beat the producer uploaded.
// params: producer_id, beat_id, title
// returns: no row if the producer is missing; else beat {id, title, created_at, producer_id}
// mode: write
MATCH (p:Producer {id: $producer_id})
CREATE (p)-[:UPLOADED]->(b:Beat {id: $beat_id, title: $title, created_at: datetime.statement()})
RETURN b {.id, .title, .created_at, producer_id: p.id} AS beat
