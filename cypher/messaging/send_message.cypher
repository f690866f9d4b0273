// Appends a message to a conversation the sender is in. The conversation's write lock is
// taken first (the documented `_LOCK_` idiom), so concurrent senders get gapless seqs and
// concurrent retries of one client_id see each other: the second finds the first's message
// and stores nothing. Sending moves the sender's own markers to the new message and
// un-hides the conversation for everyone.
// params: user_id, conversation_id, message_id, client_id, body
// A block between the two people of a direct conversation stops new messages in it.
// returns: no row if the sender is not a participant; else blocked, message (map, null
//          when blocked), created,
//          same_conversation, same_body, participants [{id, read_seq, delivered_seq,
//          unread: {conversations, messages}}]
// The index hints seek the user and the conversation and join them, rather than walk
// every conversation of a user in thousands of them.
// mode: write
MATCH (me:User {id: $user_id})-[mine:PARTICIPATES]->(c:Conversation {id: $conversation_id})
USING INDEX me:User(id)
USING INDEX c:Conversation(id)
SET c._LOCK_ = true
WITH me, mine, c,
     c.kind = 'direct' AND EXISTS { (me)-[:BLOCKS]-(:User)-[:PARTICIPATES]->(c) } AS blocked
OPTIONAL MATCH (existing:Message {sender_id: $user_id, client_id: $client_id})
OPTIONAL CALL (me, mine, c, existing, blocked) {
  WITH me, mine, c, existing, blocked WHERE existing IS NULL AND NOT blocked
  SET c.last_seq = c.last_seq + 1, c.last_message_at = datetime.statement()
  CREATE (me)-[:SENT]->(m:Message {id: $message_id, conversation_id: c.id, seq: c.last_seq,
                                   sender_id: $user_id, client_id: $client_id, body: $body,
                                   created_at: datetime.statement()})-[:IN]->(c)
  SET mine.read_seq = m.seq, mine.delivered_seq = m.seq, mine.marked_unread = false
  WITH c, m
  CALL (c) {
    MATCH (c)<-[p:PARTICIPATES]-()
    SET p.hidden = false
  }
  RETURN m, true AS created
  UNION
  WITH existing WHERE existing IS NOT NULL
  RETURN existing AS m, false AS created
}
REMOVE c._LOCK_
WITH c, m, created, blocked
OPTIONAL MATCH (sender:User {id: m.sender_id})
RETURN blocked, m {.id, .conversation_id, .seq, .client_id, .body, .created_at,
          sender: sender {.id, .username, .display_name, .avatar_url}} AS message,
       created, m.conversation_id = c.id AS same_conversation, m.body = $body AS same_body,
       COLLECT {
         MATCH (c)<-[member:PARTICIPATES]-(u:User)
         CALL (u) {
           MATCH (u)-[p:PARTICIPATES]->(cc:Conversation) WHERE NOT p.hidden
           WITH cc.last_seq - p.read_seq AS unread, p
           RETURN sum(CASE WHEN unread > 0 OR p.marked_unread THEN 1 ELSE 0 END) AS conversations,
                  sum(CASE WHEN unread > 0 THEN unread ELSE 0 END) AS messages
         }
         RETURN {id: u.id, read_seq: member.read_seq, delivered_seq: member.delivered_seq,
                 unread: {conversations: conversations, messages: messages}}
       } AS participants
