// The members of a conversation, if the caller is one of them (typing fan-out).
// params: user_id, conversation_id
// returns: no row unless the user participates; else ids
// The index hints seek the user and the conversation and join them, rather than walk
// every conversation of a user in thousands of them.
// mode: read
MATCH (me:User {id: $user_id})-[:PARTICIPATES]->(c:Conversation {id: $conversation_id})
USING INDEX me:User(id)
USING INDEX c:Conversation(id)
RETURN [(c)<-[:PARTICIPATES]-(u:User) | u.id] AS ids
