// The members of a conversation, if the caller is one of them (typing fan-out).
// params: user_id, conversation_id
// returns: no row unless the user participates; else ids
// mode: read
MATCH (:User {id: $user_id})-[:PARTICIPATES]->(c:Conversation {id: $conversation_id})
RETURN [(c)<-[:PARTICIPATES]-(u:User) | u.id] AS ids
