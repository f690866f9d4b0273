// Bulk import: moves the badge counters of users who were already in the database by
// what their imported memberships hold unread (negative numbers undo it). A user
// without counters keeps none (null + n is null): `flask migrate` recounts them.
// params: rows [{user_id, conversations, messages}]
// returns: changed (count)
// mode: write
UNWIND $rows AS row
MATCH (u:User {id: row.user_id})
SET u.unread_conversations = u.unread_conversations + row.conversations,
    u.unread_messages = u.unread_messages + row.messages
RETURN count(u) AS changed
