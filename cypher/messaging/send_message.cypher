// Appends a message to a conversation the sender is in. The conversation's write lock is
// taken first (the documented `_LOCK_` idiom), so concurrent senders get gapless seqs and
// concurrent retries of one client_id see each other: the second finds the first's message
// and stores nothing. Sending moves the sender's own markers to the new message and
// un-hides the conversation for everyone.
// params: user_id, conversation_id, message_id, client_id, body, notify_ids (the other
//         participants without a live socket)
// A block between the two people of a direct conversation stops new messages in it; in a
// group, messages flow whatever the blocks, but no notification (bell, email, push) goes
// to a participant in a block with the sender. Each block check is a seek of the pair's
// BLOCKS key (both directions), so it costs the same whatever anyone's blocks or history.
// returns: no row if the sender is not a participant; else blocked, message (map, null
//          when blocked), created,
//          same_conversation, same_body, participants [{id, read_seq, delivered_seq,
//          unread: {conversations, messages}}], notified [{user_id, notification,
//          unread_count}]
// The index hints seek the user and the conversation and join them, rather than walk
// every conversation of a user in thousands of them.
// mode: write
MATCH (me:User {id: $user_id})-[mine:PARTICIPATES]->(c:Conversation {id: $conversation_id})
USING INDEX me:User(id)
USING INDEX c:Conversation(id)
SET c._LOCK_ = true
WITH me, mine, c, c.kind = 'direct' AND EXISTS {
       MATCH (c)<-[:PARTICIPATES]-(other:User) WHERE other <> me
       WITH [me.id + '>' + other.id, other.id + '>' + me.id] AS keys
       MATCH ()-[block:BLOCKS]->() WHERE block.key IN keys
     } AS blocked
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
// A new message tells the participants without a live socket ($notify_ids) who are in no
// block with the sender: each keeps at
// most one unread direct-message notification per conversation (its unique key), whose
// message_count follows their unread count instead of piling up; email and push go out
// only for the first unread message of a run. Channels switched off produce nothing.
CALL (c, sender, created) {
  UNWIND CASE WHEN created THEN $notify_ids ELSE [] END AS notify_id
  MATCH (u:User {id: notify_id})-[p:PARTICIPATES]->(c)
  WITH c, sender, u, c.last_seq - p.read_seq AS unread
  WHERE unread > 0 AND NOT EXISTS {
    MATCH ()-[block:BLOCKS]->()
    WHERE block.key IN [u.id + '>' + sender.id, sender.id + '>' + u.id]
  }
  CALL (c, sender, u, unread) {
    UNWIND ['email', 'push'] AS channel
    WITH c, sender, u, unread, channel
    WHERE unread = 1 AND NOT ('direct_messages.' + channel) IN coalesce(u.notifications_off, [])
      AND (channel = 'push' OR u.email IS NOT NULL)
    CREATE (:OutboxEntry {id: randomUUID(), recipient_id: u.id, channel: channel,
      address: CASE channel WHEN 'email' THEN u.email END, type: 'direct_message',
      actor_name: sender.display_name, subject_id: c.id, subject_name: c.title,
      attempts: 0, state: 'pending', next_attempt_at: datetime.statement(),
      created_at: datetime.statement()})
  }
  WITH c, sender, u, unread
  WHERE NOT 'direct_messages.in_app' IN coalesce(u.notifications_off, [])
  MERGE (n:Notification {key: 'dm:' + u.id + ':' + c.id})
  ON CREATE SET n.id = randomUUID(), n.type = 'direct_message', n.recipient_id = u.id,
                n.created_at = datetime.statement(), n.read = false
  SET n.actor_id = sender.id, n.message_count = unread
  WITH c, sender, u, n, n.created_at = datetime.statement() AS fresh
  CALL (c, u, n, fresh) {
    WITH c, u, n WHERE fresh
    CREATE (u)-[:HAS_NOTIFICATION]->(n)-[:ABOUT]->(c)
    CREATE (u)-[:UNREAD]->(n)
  }
  RETURN collect({user_id: u.id,
    notification: n {.id, .type, .created_at, .read, .message_count,
                     actor: sender {.id, .username, .display_name, .avatar_url},
                     conversation: c {.id, .kind, .title}},
    unread_count: COUNT { (u)-[:UNREAD]->() }}) AS notified
}
RETURN blocked, notified, m {.id, .conversation_id, .seq, .client_id, .body, .created_at,
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
