// Bulk import: creates a batch of users from the staging rows, badge counters included
// (bulk/stage.py computed them from the imported memberships).
// params: rows [{id, username, username_key, display_name, display_name_key, avatar_url,
//         email, created_at (ISO text), unread_conversations, unread_messages}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
CREATE (u:User {id: row.id, username: row.username, username_key: row.username_key,
  display_name: row.display_name, display_name_key: row.display_name_key,
  avatar_url: row.avatar_url, email: row.email, created_at: datetime(row.created_at),
  unread_conversations: row.unread_conversations, unread_messages: row.unread_messages})
RETURN count(u) AS created
