// Test only (growth tests): $count new users named $username_prefix + n around
// $user_id, in one statement so thousands take a second, not thousands of requests.
// With $inbound they follow the user (followers), otherwise the user follows them.
// Edges carry what follow_user writes (key, since, follower_id, followee_id).
// params: user_id, count, username_prefix (lower case), inbound (boolean)
// returns: created (number of users made)
// mode: write
MATCH (u:User {id: $user_id})
UNWIND range(1, $count) AS n
CREATE (c:User {id: randomUUID(), username: $username_prefix + n,
                username_key: $username_prefix + n, display_name: $username_prefix + n,
                display_name_key: $username_prefix + n, created_at: datetime()})
WITH u, c
CALL (u, c) {
  WITH u, c WHERE $inbound
  CREATE (c)-[:FOLLOWS {key: c.id + '>' + u.id, since: datetime(),
                        follower_id: c.id, followee_id: u.id}]->(u)
}
CALL (u, c) {
  WITH u, c WHERE NOT $inbound
  CREATE (u)-[:FOLLOWS {key: u.id + '>' + c.id, since: datetime(),
                        follower_id: u.id, followee_id: c.id}]->(c)
}
RETURN count(c) AS created
