// Test fixture: turns the graph back into one made before the message badge was kept, by
// removing the badge counters from every user and the list keys from every membership.
// params: none. returns: nothing.
// mode: write
MATCH (u:User)
OPTIONAL MATCH (u)-[p:PARTICIPATES]->(:Conversation)
REMOVE u.unread_conversations, u.unread_messages, p.user_id, p.listed_at
