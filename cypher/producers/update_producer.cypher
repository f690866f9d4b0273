// Renames a producer and/or links it to a user account or unlinks it. Linking it drops
// the likes of the users in a block with the new owner (a block removes likes of each
// other's claimed pages); the cost is the owner's blocks, not the page's likers.
// params: producer_id, name (or null: unchanged), set_owner (boolean), user_id (or null)
// returns: no row if the producer is missing; else user_exists and producer
// mode: write
MATCH (p:Producer {id: $producer_id})
OPTIONAL MATCH (owner:User {id: $user_id})
WITH p, owner, NOT $set_owner OR $user_id IS NULL OR owner IS NOT NULL AS user_exists
CALL (p, owner, user_exists) {
  WITH p, owner, user_exists WHERE user_exists
  SET p.name = coalesce($name, p.name)
  WITH p, owner WHERE $set_owner
  OPTIONAL MATCH (p)-[old:CLAIMED_BY]->()
  DELETE old
  WITH DISTINCT p, owner
  FOREACH (_ IN CASE WHEN owner IS NULL THEN [] ELSE [1] END | CREATE (p)-[:CLAIMED_BY]->(owner))
  WITH p, owner WHERE owner IS NOT NULL
  MATCH (owner)-[:BLOCKS]-(other:User)
  WITH p, other.id + '>' + p.id AS key
  MATCH ()-[like:LIKES {key: key}]->()
  DELETE like
}
RETURN user_exists,
       p {.id, .slug, .name, .created_at, message_user_id: COLLECT { MATCH (p)-[:CLAIMED_BY]->(u:User) RETURN u.id }[0]} AS producer
