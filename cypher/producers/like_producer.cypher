// The user follows the producer by liking it. MERGE on the unique key makes it idempotent
// and race-safe.
// params: user_id, producer_id
// returns: user_exists, producer_exists, created, followers_count
// mode: write
OPTIONAL MATCH (u:User {id: $user_id})
OPTIONAL MATCH (p:Producer {id: $producer_id})
OPTIONAL CALL (u, p) {
  WITH u, p WHERE u IS NOT NULL AND p IS NOT NULL
  MERGE (u)-[l:LIKES {key: u.id + '>' + p.id}]->(p)
  ON CREATE SET l.since = datetime.statement(), l.user_id = u.id, l.producer_id = p.id
  RETURN l.since = datetime.statement() AS created
}
RETURN u IS NOT NULL AS user_exists, p IS NOT NULL AS producer_exists,
       coalesce(created, false) AS created,
       CASE WHEN p IS NULL THEN 0 ELSE COUNT { (p)<-[:LIKES]-() } END AS followers_count
