// A page of the bell, newest first, each notification with its actor and subject resolved
// here (one round trip), plus the unread count from the UNREAD relationship's degree.
// The (recipient_id, created_at) index yields the page in order whatever the history;
// the ORDER BY starts with the equality-bound key so the planner keeps the index order.
// The tie-break is a CASE, not an OR, so the planner cannot split the seek in two and
// sort both halves (every edge) to merge them.
// params: user_id, after_since (ISO datetime; far future for page 1), after_id ('' for
//         page 1), limit (page size + 1)
// returns: one row if the user exists: items [{notification, since_key}], unread_count
// mode: read
MATCH (u:User {id: $user_id})
CALL (u) {
  MATCH (n:Notification)
  USING INDEX SEEK n:Notification(recipient_id, created_at)  // not the (recipient, actor) one
  WHERE n.recipient_id = $user_id AND n.created_at <= datetime($after_since)
  WITH n WHERE CASE WHEN n.created_at = datetime($after_since) THEN n.id < $after_id
                    ELSE true END
  ORDER BY n.recipient_id DESC, n.created_at DESC, n.id DESC
  LIMIT $limit
  RETURN collect({
    notification: n {.id, .type, .created_at, .read, .message_count, .playlist_id,
                     .playlist_name,
      actor: head(COLLECT { MATCH (a:User {id: n.actor_id})
                            RETURN a {.id, .username, .display_name, .avatar_url} }),
      producer: head(COLLECT { MATCH (n)-[:ABOUT]->(:Beat)<-[:UPLOADED]-(p:Producer)
                               RETURN p {.id, .slug, .name} }),
      beat: head(COLLECT { MATCH (n)-[:ABOUT]->(b:Beat) RETURN b {.id, .title} }),
      conversation: head(COLLECT { MATCH (n)-[:ABOUT]->(c:Conversation)
                                   RETURN c {.id, .kind, .title} })},
    since_key: toString(n.created_at)
  }) AS items
}
RETURN items, COUNT { (u)-[:UNREAD]->() } AS unread_count
