// The message badge: conversations with something unread (or marked unread) and the
// number of unread messages, as kept on the User by the transactions that change them
// (send, read, mark unread, hide, re-open): one node read, whatever the conversations.
// params: user_id
// returns: conversations, messages (0 for an unknown user)
// mode: read
OPTIONAL MATCH (u:User {id: $user_id})
RETURN coalesce(u.unread_conversations, 0) AS conversations,
       coalesce(u.unread_messages, 0) AS messages
