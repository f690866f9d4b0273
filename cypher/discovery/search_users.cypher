// People whose username or display name starts with $prefix, ranked for the viewer:
// followed (0), follows you (1), two hops away (2), everyone else (3); ties by username
// then id. The cost is bounded whatever the viewer's follows and followers: candidates
// are the first $candidate_cap index matches on username_key and on display_name_key,
// plus those of the viewer's $hop_cap newest follows and $follower_cap newest followers
// that match (index-ordered seeks, so a followed user is found even past the index
// candidates).
// Each candidate is then ranked by checks on the pair: "followed" and "follows you" are
// seeks on the FOLLOWS key; "two hops" means one of those $hop_cap newest follows follows
// the candidate, found through whichever is smaller, the candidate's followers or
// $hop_cap key seeks.
// params: viewer_id, prefix (lower-cased, >= 2 chars), limit, candidate_cap, hop_cap,
//         follower_cap
// returns: rows {user (summary + relationship), rank}
// mode: read
OPTIONAL MATCH (viewer:User {id: $viewer_id})
CALL (viewer) {
  OPTIONAL MATCH ()-[f:FOLLOWS]->(m:User)
  USING INDEX SEEK f:FOLLOWS(follower_id, since)
  WHERE viewer IS NOT NULL AND f.follower_id = $viewer_id AND f.since IS NOT NULL
  WITH m ORDER BY f.follower_id DESC, f.since DESC LIMIT $hop_cap
  RETURN collect(m) AS hops
}
CALL (viewer, hops) {
  MATCH (c:User) USING INDEX SEEK c:User(username_key)
  WHERE c.username_key STARTS WITH $prefix
  RETURN c ORDER BY c.username_key LIMIT $candidate_cap
  UNION
  MATCH (c:User) USING INDEX SEEK c:User(display_name_key)
  WHERE c.display_name_key STARTS WITH $prefix
  RETURN c ORDER BY c.display_name_key LIMIT $candidate_cap
  UNION
  UNWIND hops AS c
  WITH c WHERE c.username_key STARTS WITH $prefix OR c.display_name_key STARTS WITH $prefix
  RETURN c
  UNION
  MATCH ()-[f:FOLLOWS]->(c:User)
  USING INDEX SEEK f:FOLLOWS(followee_id, since)
  WHERE viewer IS NOT NULL AND f.followee_id = $viewer_id AND f.since IS NOT NULL
  WITH c ORDER BY f.followee_id DESC, f.since DESC LIMIT $follower_cap
  WITH c WHERE c.username_key STARTS WITH $prefix OR c.display_name_key STARTS WITH $prefix
  RETURN c
}
WITH viewer, hops, c
WHERE (c <> viewer OR viewer IS NULL) AND NOT EXISTS { (viewer)-[:BLOCKS]-(c) }
WITH viewer, hops, c,
     EXISTS { MATCH ()-[f:FOLLOWS]->() USING INDEX SEEK f:FOLLOWS(key)
              WHERE f.key = $viewer_id + '>' + c.id } AS following,
     EXISTS { MATCH ()-[f:FOLLOWS]->() USING INDEX SEEK f:FOLLOWS(key)
              WHERE f.key = c.id + '>' + $viewer_id } AS followed_by
WITH c, following, followed_by,
     CASE WHEN following THEN 0 WHEN followed_by THEN 1
          WHEN COUNT { (c)<-[:FOLLOWS]-() } <= size(hops)
            THEN CASE WHEN EXISTS { (c)<-[:FOLLOWS]-(m) WHERE m IN hops } THEN 2 ELSE 3 END
          WHEN EXISTS { UNWIND hops AS m
                        MATCH ()-[f:FOLLOWS]->() USING INDEX SEEK f:FOLLOWS(key)
                        WHERE f.key = m.id + '>' + c.id }
            THEN 2
          ELSE 3 END AS rank
ORDER BY rank, c.username_key, c.id
LIMIT $limit
RETURN c {.id, .username, .display_name, .avatar_url,
          relationship: {following: following, followed_by: followed_by}} AS user, rank
