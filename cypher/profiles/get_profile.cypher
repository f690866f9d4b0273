// A user's profile as the viewer sees it, found by id or by username (each an index seek).
// Counts come from the degree store; the relationship drives the Follow/Unfollow button.
// params: user_id (or null), username_key (lower-cased, or null), viewer_id
// returns: profile {id, username, display_name, avatar_url, created_at, *_count, relationship}
// mode: read
CALL () {
  MATCH (u:User {id: $user_id}) RETURN u
  UNION
  MATCH (u:User {username_key: $username_key}) RETURN u
}
OPTIONAL MATCH (viewer:User {id: $viewer_id})
RETURN u {.id, .username, .display_name, .avatar_url, .created_at,
  followers_count: COUNT { (u)<-[:FOLLOWS]-() },
  following_count: COUNT { (u)-[:FOLLOWS]->() },
  liked_producers_count: COUNT { (u)-[:LIKES]->() },
  relationship: {
    following: EXISTS { (viewer)-[:FOLLOWS]->(u) },
    followed_by: EXISTS { (u)-[:FOLLOWS]->(viewer) },
    blocking: EXISTS { (viewer)-[:BLOCKS]->(u) },
    is_self: u.id = $viewer_id
  }
} AS profile
LIMIT 1
