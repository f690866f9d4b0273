// Removes the user's like of the producer, if any (idempotent).
// params: user_id, producer_id
// returns: no row if the producer is missing; else followers_count after the change
// mode: write
MATCH (p:Producer {id: $producer_id})
OPTIONAL MATCH (:User {id: $user_id})-[l:LIKES]->(p)
DELETE l
RETURN COUNT { (p)<-[:LIKES]-() } AS followers_count
