// Lifts a block. Follows removed by the block are not restored.
// params: blocker_id, blocked_id
// returns: no row if the blocked user is missing; else blocking (false)
// mode: write
MATCH (b:User {id: $blocked_id})
OPTIONAL MATCH (:User {id: $blocker_id})-[k:BLOCKS]->(b)
DELETE k
RETURN false AS blocking
