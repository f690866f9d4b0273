// Who to message when the search box is blank: people the caller follows, most recently
// followed first, then recent chat partners (by conversation activity); never blocked.
// Both walks are index range seeks read in order and cut at $limit, so the cost is the
// page, not the caller's follows or conversations: the follows by FOLLOWS(follower_id,
// since), the conversations by the recent list's PARTICIPATES(user_id, listed_at), which
// leaves hidden conversations out (as the list does).
// params: user_id, limit
// returns: rows {user (summary + relationship)}, in order
// mode: read
MATCH (me:User {id: $user_id})
CALL (me) {
  MATCH ()-[f:FOLLOWS]->(u:User)
  USING INDEX SEEK f:FOLLOWS(follower_id, since)
  WHERE f.follower_id = $user_id AND f.since IS NOT NULL
  RETURN u, 0 AS source, f.since AS at
  ORDER BY f.follower_id DESC, f.since DESC LIMIT $limit
  UNION
  MATCH ()-[p:PARTICIPATES]->(c:Conversation)
  USING INDEX SEEK p:PARTICIPATES(user_id, listed_at)
  WHERE p.user_id = $user_id AND p.listed_at IS NOT NULL
  WITH p, c ORDER BY p.user_id DESC, p.listed_at DESC LIMIT $limit
  MATCH (c)<-[:PARTICIPATES]-(u:User) WHERE u <> me
  RETURN u, 1 AS source, p.listed_at AS at
}
WITH me, u, source, at ORDER BY source, at DESC
WITH me, u, head(collect({source: source, at: at})) AS best
WHERE NOT EXISTS { (me)-[:BLOCKS]-(u) }
ORDER BY best.source, best.at DESC, u.id
LIMIT $limit
RETURN u {.id, .username, .display_name, .avatar_url,
          relationship: {following: EXISTS { (me)-[:FOLLOWS]->(u) },
                         followed_by: EXISTS { (u)-[:FOLLOWS]->(me) }}} AS user
