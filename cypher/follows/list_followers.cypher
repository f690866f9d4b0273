// A page of a user's followers, newest first, each with the viewer's relationship to them.
// The (followee_id, since) index yields the edges in time order, so the page costs its
// own size whatever the follower count. Keyset: strictly after (after_since, after_id).
// The ORDER BY starts with the equality-bound index key on purpose: only then does the
// planner take the index order (PartialTop over ~limit rows) instead of sorting every edge.
// The seek is named (`USING INDEX SEEK`): from statistics of an index sampled while it
// was nearly empty, the planner may instead scan the whole index in that order.
// The tie-break is a CASE, not an OR, so the planner cannot split the seek in two and
// sort both halves (every edge) to merge them.
// params: user_id, viewer_id, after_since (ISO datetime; far future for page 1),
//         after_id ('' for page 1), limit (page size + 1)
// returns: one row if the user exists: items [{user, since_key}]
// mode: read
MATCH (target:User {id: $user_id})
OPTIONAL MATCH (viewer:User {id: $viewer_id})
CALL (viewer) {
  MATCH (other:User)-[f:FOLLOWS]->()
  USING INDEX SEEK f:FOLLOWS(followee_id, since)
  WHERE f.followee_id = $user_id AND f.since <= datetime($after_since)
  WITH other, f
  WHERE CASE WHEN f.since = datetime($after_since) THEN other.id < $after_id ELSE true END
  ORDER BY f.followee_id DESC, f.since DESC, other.id DESC
  LIMIT $limit
  RETURN collect({
    user: other {.id, .username, .display_name, .avatar_url,
      relationship: {following: EXISTS { (viewer)-[:FOLLOWS]->(other) },
                     followed_by: EXISTS { (other)-[:FOLLOWS]->(viewer) }}},
    since_key: toString(f.since)
  }) AS items
}
RETURN items
