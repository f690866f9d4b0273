// Marks up to $batch unread notifications of the user read (the work is the batch, so a
// user with a million unread is marked in many short transactions, not one huge one;
// graph.notifications repeats it until a batch comes back short).
// params: user_id, batch
// returns: one row if the user exists: marked, unread_count (what is left)
// mode: write
MATCH (u:User {id: $user_id})
CALL (u) {
  MATCH (u)-[r:UNREAD]->(n:Notification)
  WITH r, n LIMIT $batch
  SET n.read = true
  REMOVE n.key
  DELETE r
  RETURN count(n) AS marked
}
RETURN marked, COUNT { (u)-[:UNREAD]->() } AS unread_count
