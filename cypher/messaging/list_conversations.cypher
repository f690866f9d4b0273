// The caller's recent conversations (not hidden), newest activity first, keyset strictly
// after (after_activity, after_id). One walk over the caller's memberships plus the page:
// participants with whether the caller follows each, the last message, unread state.
// params: user_id, after_activity (ISO; far future for page 1), after_id ('' for page 1),
//         limit (page size + 1)
// returns: rows {conversation (map), activity_key}
// mode: read
MATCH (me:User {id: $user_id})-[p:PARTICIPATES]->(c:Conversation)
WHERE NOT p.hidden
WITH me, p, c, coalesce(c.last_message_at, c.created_at) AS activity
WHERE activity < datetime($after_activity)
   OR (activity = datetime($after_activity) AND c.id < $after_id)
ORDER BY activity DESC, c.id DESC
LIMIT $limit
OPTIONAL MATCH (last:Message {conversation_id: c.id, seq: c.last_seq})
RETURN c {.id, .kind, .title, updated_at: activity,
          unread_count: c.last_seq - p.read_seq, marked_unread: p.marked_unread,
          participants: [(c)<-[:PARTICIPATES]-(u:User) |
            u {.id, .username, .display_name, .avatar_url,
               following: EXISTS { (me)-[:FOLLOWS]->(u) }}],
          last_message: CASE WHEN last IS NULL THEN null ELSE
            last {.id, .seq, .body, .created_at, .sender_id} END
         } AS conversation,
       toString(activity) AS activity_key
