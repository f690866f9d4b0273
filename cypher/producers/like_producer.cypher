// The user follows the producer by liking it, unless a block stands between the user and
// the account that claims the page (a seek of that pair's BLOCKS key, both ways). MERGE on
// the unique key makes it idempotent and race-safe.
// params: user_id, producer_id
// returns: user_exists, producer_exists, blocked, created, followers_count
// mode: write
OPTIONAL MATCH (u:User {id: $user_id})
OPTIONAL MATCH (p:Producer {id: $producer_id})
WITH u, p, u IS NOT NULL AND p IS NOT NULL AND EXISTS {
  MATCH (p)-[:CLAIMED_BY]->(owner:User)
  WITH [u.id + '>' + owner.id, owner.id + '>' + u.id] AS keys
  MATCH ()-[block:BLOCKS]->() USING INDEX SEEK block:BLOCKS(key)
  WHERE block.key IN keys
} AS blocked
OPTIONAL CALL (u, p, blocked) {
  WITH u, p WHERE u IS NOT NULL AND p IS NOT NULL AND NOT blocked
  MERGE (u)-[l:LIKES {key: u.id + '>' + p.id}]->(p)
  ON CREATE SET l.since = datetime.statement(), l.user_id = u.id, l.producer_id = p.id
  RETURN l.since = datetime.statement() AS created
}
RETURN u IS NOT NULL AS user_exists, p IS NOT NULL AS producer_exists, blocked,
       coalesce(created, false) AS created,
       CASE WHEN p IS NULL THEN 0 ELSE COUNT { (p)<-[:LIKES]-() } END AS followers_count
