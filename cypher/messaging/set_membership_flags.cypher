// Marks a conversation unread, or hides it from the caller's list (only theirs).
// params: user_id, conversation_id, marked_unread (boolean or null: unchanged),
//         hidden (boolean or null: unchanged)
// returns: no row unless the user participates; else unread_count, marked_unread, hidden
// mode: write
MATCH (:User {id: $user_id})-[p:PARTICIPATES]->(c:Conversation {id: $conversation_id})
SET p.marked_unread = coalesce($marked_unread, p.marked_unread),
    p.hidden = coalesce($hidden, p.hidden)
RETURN c.last_seq - p.read_seq AS unread_count, p.marked_unread AS marked_unread,
       p.hidden AS hidden
