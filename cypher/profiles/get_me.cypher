// The signed-in user's own profile with unread counts. The message badge is the counters
// kept on the User (see cypher/messaging/get_unread_badge.cypher), never a walk of the
// memberships; unread notifications are the degree of UNREAD.
// params: user_id
// returns: profile {..., unread {conversations, messages, notifications}}
// mode: read
MATCH (u:User {id: $user_id})
RETURN u {.id, .username, .display_name, .avatar_url, .created_at,
  followers_count: COUNT { (u)<-[:FOLLOWS]-() },
  following_count: COUNT { (u)-[:FOLLOWS]->() },
  liked_producers_count: COUNT { (u)-[:LIKES]->() },
  relationship: {following: false, followed_by: false, blocking: false, is_self: true},
  unread: {conversations: coalesce(u.unread_conversations, 0),
           messages: coalesce(u.unread_messages, 0),
           notifications: COUNT { (u)-[:UNREAD]->() }}
} AS profile
