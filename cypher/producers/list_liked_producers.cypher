// A page of the producers a user likes, newest first, each with whether the viewer likes
// it too, plus the total. Index-ordered by (user_id, since); keyset after (after_since, after_id).
// The ORDER BY starts with the equality-bound index key on purpose: only then does the
// planner take the index order (PartialTop over ~limit rows) instead of sorting every edge.
// The seek is named (`USING INDEX SEEK`): from statistics of an index sampled while it
// was nearly empty, the planner may instead scan the whole index in that order.
// The tie-break is a CASE, not an OR, so the planner cannot split the seek in two and
// sort both halves (every edge) to merge them.
// params: user_id, viewer_id, after_since (ISO; far future for page 1), after_id, limit
// returns: one row if the user exists: count, items [{producer, since_key}]
// mode: read
MATCH (target:User {id: $user_id})
OPTIONAL MATCH (viewer:User {id: $viewer_id})
CALL (viewer) {
  MATCH ()-[l:LIKES]->(p:Producer)
  USING INDEX SEEK l:LIKES(user_id, since)
  WHERE l.user_id = $user_id AND l.since <= datetime($after_since)
  WITH p, l
  WHERE CASE WHEN l.since = datetime($after_since) THEN p.id < $after_id ELSE true END
  ORDER BY l.user_id DESC, l.since DESC, p.id DESC
  LIMIT $limit
  RETURN collect({
    producer: p {.id, .slug, .name, followers_count: COUNT { (p)<-[:LIKES]-() },
                 liked: EXISTS { (viewer)-[:LIKES]->(p) }},
    since_key: toString(l.since)
  }) AS items
}
RETURN COUNT { (target)-[:LIKES]->() } AS count, items
