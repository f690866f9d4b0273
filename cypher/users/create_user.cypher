// Creates a user. The id and username_key uniqueness constraints reject duplicates.
// The message badge counters start at zero (see cypher/messaging/send_messages.cypher).
// params: id, username, username_key (lower-cased), display_name, display_name_key
//         (lower-cased), avatar_url (or null), email (or null: no email notifications)
// returns: user {id, username, display_name, avatar_url, created_at}
// mode: write
CREATE (u:User {
  id: $id, username: $username, username_key: $username_key,
  display_name: $display_name, display_name_key: $display_name_key,
  avatar_url: $avatar_url, email: $email, created_at: datetime(),
  unread_conversations: 0, unread_messages: 0
})
RETURN u {.id, .username, .display_name, .avatar_url, .created_at} AS user
