// A page of a producer's followers (likers), newest first, with the viewer's relationship
// to each. Index-ordered by (producer_id, since): the page costs its size even with a
// million likers. Keyset strictly after (after_since, after_id).
// The ORDER BY starts with the equality-bound index key on purpose: only then does the
// planner take the index order (PartialTop over ~limit rows) instead of sorting every edge.
// The seek is named (`USING INDEX SEEK`): from statistics of an index sampled while it
// was nearly empty, the planner may instead scan the whole index in that order.
// The tie-break is a CASE, not an OR, so the planner cannot split the seek in two and
// sort both halves (every edge) to merge them.
// params: producer_id, viewer_id, after_since (ISO; far future for page 1), after_id, limit
// returns: one row if the producer exists: items [{user, since_key}]
// mode: read
MATCH (:Producer {id: $producer_id})
OPTIONAL MATCH (viewer:User {id: $viewer_id})
CALL (viewer) {
  MATCH (other:User)-[l:LIKES]->()
  USING INDEX SEEK l:LIKES(producer_id, since)
  WHERE l.producer_id = $producer_id AND l.since <= datetime($after_since)
  WITH other, l
  WHERE CASE WHEN l.since = datetime($after_since) THEN other.id < $after_id ELSE true END
  ORDER BY l.producer_id DESC, l.since DESC, other.id DESC
  LIMIT $limit
  RETURN collect({
    user: other {.id, .username, .display_name, .avatar_url,
      relationship: {following: EXISTS { (viewer)-[:FOLLOWS]->(other) },
                     followed_by: EXISTS { (other)-[:FOLLOWS]->(viewer) }}},
    since_key: toString(l.since)
  }) AS items
}
RETURN items
