// Who to follow: people followed by the people the viewer follows, ranked by how many of
// them follow each candidate. Bounded: looks through the viewer's $hop_cap most recent
// follows and, from each, at most $fan_cap of their follows, so a hub with a million
// edges costs no more than a small account. Never self, already followed, or blocked.
// params: viewer_id, hop_cap, fan_cap, limit
// returns: rows {user (summary + relationship), mutuals}
// mode: read
MATCH (viewer:User {id: $viewer_id})
CALL (viewer) {
  MATCH ()-[f:FOLLOWS]->(m:User)
  USING INDEX SEEK f:FOLLOWS(follower_id, since)
  WHERE f.follower_id = $viewer_id AND f.since IS NOT NULL
  RETURN m ORDER BY f.follower_id DESC, f.since DESC LIMIT $hop_cap
}
CALL (m) {
  MATCH (m)-[:FOLLOWS]->(c:User) RETURN c LIMIT $fan_cap
}
WITH viewer, c, count(*) AS mutuals
WHERE c <> viewer
  AND NOT EXISTS { (viewer)-[:FOLLOWS]->(c) }
  AND NOT EXISTS { (viewer)-[:BLOCKS]-(c) }
ORDER BY mutuals DESC, c.id
LIMIT $limit
RETURN c {.id, .username, .display_name, .avatar_url,
          relationship: {following: false,
                         followed_by: EXISTS { (c)-[:FOLLOWS]->(viewer) }}} AS user, mutuals
