// Makes $follower_id follow $followee_id unless either blocks the other. MERGE on the
// edge's unique key makes racing follows converge on one edge.
// params: follower_id, followee_id
// returns: follower_exists, followee_exists, blocked, following, created, followers_count
// mode: write
OPTIONAL MATCH (a:User {id: $follower_id})
OPTIONAL MATCH (b:User {id: $followee_id})
WITH a, b, a IS NOT NULL AND b IS NOT NULL AND EXISTS { (a)-[:BLOCKS]-(b) } AS blocked
OPTIONAL CALL (a, b, blocked) {
  WITH a, b, blocked
  WHERE a IS NOT NULL AND b IS NOT NULL AND NOT blocked
  MERGE (a)-[f:FOLLOWS {key: a.id + '>' + b.id}]->(b)
  ON CREATE SET f.since = datetime.statement(), f.follower_id = a.id, f.followee_id = b.id
  RETURN f.since = datetime.statement() AS created
}
RETURN a IS NOT NULL AS follower_exists, b IS NOT NULL AS followee_exists, blocked,
       coalesce(created IS NOT NULL, false) AS following, coalesce(created, false) AS created,
       CASE WHEN b IS NULL THEN 0 ELSE COUNT { (b)<-[:FOLLOWS]-() } END AS followers_count
