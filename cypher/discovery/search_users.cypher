// People whose username or display name starts with $prefix, ranked for the viewer:
// followed (0), follows you (1), two hops away (2), everyone else (3); ties by username
// then id. Candidates come from index seeks on username_key and display_name_key
// (capped at $candidate_cap each) plus the viewer's own follows and followers that
// match; "two hops" looks through at most $hop_cap of the people the viewer follows.
// params: viewer_id, prefix (lower-cased, >= 2 chars), limit, candidate_cap, hop_cap
// returns: rows {user (summary + relationship), rank}
// mode: read
OPTIONAL MATCH (viewer:User {id: $viewer_id})
CALL (viewer) {
  CALL () {
    MATCH (c:User) WHERE c.username_key STARTS WITH $prefix
    RETURN c ORDER BY c.username_key LIMIT $candidate_cap
    UNION
    MATCH (c:User) WHERE c.display_name_key STARTS WITH $prefix
    RETURN c ORDER BY c.display_name_key LIMIT $candidate_cap
  }
  RETURN c
  UNION
  MATCH (viewer)-[:FOLLOWS]-(c:User)
  WHERE c.username_key STARTS WITH $prefix OR c.display_name_key STARTS WITH $prefix
  RETURN c
}
WITH viewer, c WHERE c <> viewer OR viewer IS NULL
WITH viewer, collect(DISTINCT c) AS candidates
CALL (viewer, candidates) {
  MATCH (viewer)-[:FOLLOWS]->(m:User) WITH m LIMIT $hop_cap
  MATCH (m)-[:FOLLOWS]->(c:User) WHERE c IN candidates
  RETURN collect(DISTINCT c.id) AS two_hop_ids
}
UNWIND candidates AS c
WITH viewer, c, two_hop_ids,
     EXISTS { (viewer)-[:FOLLOWS]->(c) } AS following,
     EXISTS { (c)-[:FOLLOWS]->(viewer) } AS followed_by
WHERE NOT EXISTS { (viewer)-[:BLOCKS]-(c) }
WITH c, following, followed_by,
     CASE WHEN following THEN 0 WHEN followed_by THEN 1
          WHEN c.id IN two_hop_ids THEN 2 ELSE 3 END AS rank
ORDER BY rank, c.username_key, c.id
LIMIT $limit
RETURN c {.id, .username, .display_name, .avatar_url,
          relationship: {following: following, followed_by: followed_by}} AS user, rank
