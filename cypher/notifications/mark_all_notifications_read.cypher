// Marks every unread notification of the user read (the work is the unread ones only).
// params: user_id
// returns: one row if the user exists: marked, unread_count (0)
// mode: write
MATCH (u:User {id: $user_id})
CALL (u) {
  MATCH (u)-[r:UNREAD]->(n:Notification)
  SET n.read = true
  REMOVE n.key
  DELETE r
  RETURN count(n) AS marked
}
RETURN marked, COUNT { (u)-[:UNREAD]->() } AS unread_count
