// The caller's recent conversations (not hidden), newest activity first, keyset strictly
// after (after_activity, after_id). The PARTICIPATES(user_id, listed_at) index yields the
// caller's memberships already in activity order, and hidden ones have no listed_at, so
// the page costs its own size whatever the caller's conversations. As in the follow
// lists, the ORDER BY starts with the equality-bound index key so the planner reads the
// index in order, and the tie-break is a CASE, not an OR, so the seek is not split. The
// seek is named (`USING INDEX SEEK`): from statistics of an index sampled while it was
// nearly empty, the planner may instead scan the whole index in that order.
// Each row carries the participants (with whether the caller follows each: never asked of
// the caller, whose own edges an Expand(Into) onto itself would walk), the last message
// and the unread state.
// params: user_id, after_activity (ISO; far future for page 1), after_id ('' for page 1),
//         limit (page size + 1)
// returns: rows {conversation (map), activity_key}
// mode: read
MATCH (me:User {id: $user_id})
CALL () {
  MATCH ()-[p:PARTICIPATES]->(c:Conversation)
  USING INDEX SEEK p:PARTICIPATES(user_id, listed_at)
  WHERE p.user_id = $user_id AND p.listed_at <= datetime($after_activity)
  WITH p, c
  WHERE CASE WHEN p.listed_at = datetime($after_activity) THEN c.id < $after_id ELSE true END
  ORDER BY p.user_id DESC, p.listed_at DESC, c.id DESC
  LIMIT $limit
  RETURN p, c
}
OPTIONAL MATCH (last:Message {conversation_id: c.id, seq: c.last_seq})
RETURN c {.id, .kind, .title, updated_at: p.listed_at,
          unread_count: c.last_seq - p.read_seq, marked_unread: p.marked_unread,
          participants: [(c)<-[:PARTICIPATES]-(u:User) |
            u {.id, .username, .display_name, .avatar_url,
               following: CASE WHEN u = me THEN false
                               ELSE EXISTS { (me)-[:FOLLOWS]->(u) } END}],
          last_message: CASE WHEN last IS NULL THEN null ELSE
            last {.id, .seq, .body, .created_at, .sender_id} END
         } AS conversation,
       toString(p.listed_at) AS activity_key
