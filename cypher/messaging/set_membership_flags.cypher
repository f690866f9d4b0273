// Marks a conversation unread, or hides it from the caller's list (only theirs).
// params: user_id, conversation_id, marked_unread (boolean or null: unchanged),
//         hidden (boolean or null: unchanged)
// returns: no row unless the user participates; else unread_count, marked_unread, hidden
// The index hints seek the user and the conversation and join them, rather than walk
// every conversation of a user in thousands of them.
// mode: write
MATCH (me:User {id: $user_id})-[p:PARTICIPATES]->(c:Conversation {id: $conversation_id})
USING INDEX me:User(id)
USING INDEX c:Conversation(id)
SET p.marked_unread = coalesce($marked_unread, p.marked_unread),
    p.hidden = coalesce($hidden, p.hidden)
RETURN c.last_seq - p.read_seq AS unread_count, p.marked_unread AS marked_unread,
       p.hidden AS hidden
