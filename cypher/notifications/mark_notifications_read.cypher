// Marks some of the user's notifications read; ids that are not the user's unread ones
// are ignored, so nothing about other users' notifications leaks. A read direct-message
// notification gives up its key: the next message starts a new one.
// params: user_id, ids [string]
// returns: one row if the user exists: marked, unread_count
// mode: write
MATCH (u:User {id: $user_id})
CALL (u) {
  UNWIND $ids AS id
  MATCH (u)-[r:UNREAD]->(n:Notification {id: id})
  SET n.read = true
  REMOVE n.key
  DELETE r
  RETURN count(n) AS marked
}
RETURN marked, COUNT { (u)-[:UNREAD]->() } AS unread_count
