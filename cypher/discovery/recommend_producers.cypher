// Producers liked by the people the viewer follows, ranked by how many of them like each,
// never one the viewer already likes. Bounded like recommend_users: $hop_cap recent follows,
// at most $fan_cap likes from each.
// params: viewer_id, hop_cap, fan_cap, limit
// returns: rows {producer {id, slug, name, followers_count, liked}, liked_by_following}
// mode: read
MATCH (viewer:User {id: $viewer_id})
CALL (viewer) {
  MATCH ()-[f:FOLLOWS]->(m:User)
  USING INDEX SEEK f:FOLLOWS(follower_id, since)
  WHERE f.follower_id = $viewer_id AND f.since IS NOT NULL
  RETURN m ORDER BY f.follower_id DESC, f.since DESC LIMIT $hop_cap
}
CALL (m) {
  MATCH (m)-[:LIKES]->(p:Producer) RETURN p LIMIT $fan_cap
}
WITH viewer, p, count(*) AS liked_by_following
WHERE NOT EXISTS { (viewer)-[:LIKES]->(p) }
ORDER BY liked_by_following DESC, p.id
LIMIT $limit
RETURN p {.id, .slug, .name, followers_count: COUNT { (p)<-[:LIKES]-() }, liked: false} AS producer,
       liked_by_following
