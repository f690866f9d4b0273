// The blocker blocks the blocked user. In the same transaction, both ways: their follows
// go, each one's likes of the other's claimed producer pages go, and the notifications
// either got from the other go (follows, messages, uploads of the other's claimed pages,
// playlist invites: every notification whose actor is the other or a page the other
// claims). MERGE on the unique key makes it idempotent. Every step is a seek on the pair
// (the LIKES key, the (recipient_id, actor_id) index), so the cost is what is removed, not
// either user's follows, likes or notifications.
// params: blocker_id, blocked_id
// returns: no row if either user is missing; else blocking (true)
// mode: write
MATCH (a:User {id: $blocker_id}), (b:User {id: $blocked_id})
MERGE (a)-[k:BLOCKS {key: a.id + '>' + b.id}]->(b)
ON CREATE SET k.since = datetime.statement()
WITH a, b
CALL (a, b) {
  OPTIONAL MATCH (a)-[f:FOLLOWS]-(b)
  DELETE f
}
CALL (a, b) {
  UNWIND [[a, b], [b, a]] AS pair
  WITH pair[0] AS fan, pair[1] AS owner
  MATCH (owner)<-[:CLAIMED_BY]-(page:Producer)
  WITH fan.id + '>' + page.id AS key
  MATCH ()-[like:LIKES {key: key}]->()
  DELETE like
}
CALL (a, b) {
  UNWIND [[a, b], [b, a]] AS pair
  WITH pair[0] AS recipient, pair[1] AS actor
  WITH recipient.id AS recipient_id,
       [actor.id] + COLLECT { MATCH (actor)<-[:CLAIMED_BY]-(page:Producer) RETURN page.id }
         AS actor_ids
  MATCH (n:Notification)
  WHERE n.recipient_id = recipient_id AND n.actor_id IN actor_ids
  DETACH DELETE n
}
RETURN true AS blocking
