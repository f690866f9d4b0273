// The signed-in user's own profile with unread counts. Unread messages come from each
// membership's markers (last_seq - read_seq), never from scanning messages; unread
// notifications are the degree of UNREAD.
// params: user_id
// returns: profile {..., unread {conversations, messages, notifications}}
// mode: read
MATCH (u:User {id: $user_id})
CALL (u) {
  OPTIONAL MATCH (u)-[p:PARTICIPATES]->(c:Conversation)
  WHERE NOT coalesce(p.hidden, false)
  WITH coalesce(c.last_seq, 0) - coalesce(p.read_seq, 0) AS unread, p
  RETURN sum(CASE WHEN unread > 0 OR coalesce(p.marked_unread, false) THEN 1 ELSE 0 END)
           AS conversations,
         sum(CASE WHEN unread > 0 THEN unread ELSE 0 END) AS messages
}
RETURN u {.id, .username, .display_name, .avatar_url, .created_at,
  followers_count: COUNT { (u)<-[:FOLLOWS]-() },
  following_count: COUNT { (u)-[:FOLLOWS]->() },
  liked_producers_count: COUNT { (u)-[:LIKES]->() },
  relationship: {following: false, followed_by: false, blocking: false, is_self: true},
  unread: {conversations: conversations, messages: messages,
           notifications: COUNT { (u)-[:UNREAD]->() }}
} AS profile
