// Creates a producer page, claimed by $user_id when given. The id and slug uniqueness
// constraints reject duplicates.
// params: id, slug, name, user_id (or null)
// returns: user_exists, producer {id, slug, name, created_at, message_user_id}
// mode: write
OPTIONAL MATCH (owner:User {id: $user_id})
WITH owner
WHERE $user_id IS NULL OR owner IS NOT NULL
CREATE (p:Producer {id: $id, slug: $slug, name: $name, created_at: datetime.statement()})
FOREACH (_ IN CASE WHEN owner IS NULL THEN [] ELSE [1] END | CREATE (p)-[:CLAIMED_BY]->(owner))
RETURN p {.id, .slug, .name, .created_at, message_user_id: owner.id} AS producer
