// Index messages by (conversation_id, seq) so a page of a conversation costs the page,
// not the conversation's history. neomodel cannot declare composite indexes.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX message_conversation_seq IF NOT EXISTS
FOR (m:Message) ON (m.conversation_id, m.seq)
