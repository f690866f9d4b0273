// Renames a producer and/or links it to a user account or unlinks it.
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
}
RETURN user_exists,
       p {.id, .slug, .name, .created_at, message_user_id: COLLECT { MATCH (p)-[:CLAIMED_BY]->(u:User) RETURN u.id }[0]} AS producer
