// A producer page as the viewer sees it: follower count from the degree store, whether
// the viewer likes it, and the claimed account behind its Message button.
// params: producer_id, viewer_id
// returns: producer {id, slug, name, created_at, followers_count, liked, message_user_id}
// mode: read
MATCH (p:Producer {id: $producer_id})
OPTIONAL MATCH (viewer:User {id: $viewer_id})
RETURN p {.id, .slug, .name, .created_at,
  followers_count: COUNT { (p)<-[:LIKES]-() },
  liked: EXISTS { (viewer)-[:LIKES]->(p) },
  message_user_id: COLLECT { MATCH (p)-[:CLAIMED_BY]->(u:User) RETURN u.id }[0]
} AS producer
