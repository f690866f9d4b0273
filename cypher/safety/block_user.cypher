// The blocker blocks the blocked user: follows between them go, both ways, in the same
// transaction. MERGE on the unique key makes it idempotent.
// params: blocker_id, blocked_id
// returns: no row if either user is missing; else blocking (true)
// mode: write
MATCH (a:User {id: $blocker_id}), (b:User {id: $blocked_id})
MERGE (a)-[k:BLOCKS {key: a.id + '>' + b.id}]->(b)
ON CREATE SET k.since = datetime.statement()
WITH a, b
OPTIONAL MATCH (a)-[f:FOLLOWS]-(b)
DELETE f
RETURN DISTINCT true AS blocking
