// Resolves a user by id or by username (case-insensitively); each branch is an index seek.
// params: user_id (or null), username_key (lower-cased, or null)
// returns: id of the user, or no row
// mode: read
CALL () {
  MATCH (u:User {id: $user_id}) RETURN u
  UNION
  MATCH (u:User {username_key: $username_key}) RETURN u
}
RETURN u.id AS id
LIMIT 1
