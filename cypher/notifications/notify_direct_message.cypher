// Tells participants who have no live socket about a new message. Each keeps at most one
// unread direct-message notification per conversation (its unique key), whose
// message_count follows the conversation's unread count instead of piling up. Email and
// push go out only for the first unread message of a conversation, not for every one.
// params: conversation_id, sender_id, user_ids (recipients without a live socket)
// returns: one row per notified user: user_id, notification (map), unread_count
// mode: write
MATCH (c:Conversation {id: $conversation_id})
MATCH (sender:User {id: $sender_id})
UNWIND $user_ids AS user_id
MATCH (u:User {id: user_id})-[p:PARTICIPATES]->(c)
USING INDEX u:User(id)
WITH c, sender, u, c.last_seq - p.read_seq AS unread
WHERE unread > 0
CALL (c, sender, u, unread) {
  UNWIND ['email', 'push'] AS channel
  WITH c, sender, u, unread, channel
  WHERE unread = 1 AND NOT ('direct_messages.' + channel) IN coalesce(u.notifications_off, [])
    AND (channel = 'push' OR u.email IS NOT NULL)
  CREATE (:OutboxEntry {id: randomUUID(), recipient_id: u.id, channel: channel,
    address: CASE channel WHEN 'email' THEN u.email END, type: 'direct_message',
    actor_name: sender.display_name, subject_id: c.id,
    subject_name: c.title,
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
RETURN u.id AS user_id,
       n {.id, .type, .created_at, .read, .message_count,
          actor: sender {.id, .username, .display_name, .avatar_url},
          conversation: c {.id, .kind, .title}} AS notification,
       COUNT { (u)-[:UNREAD]->() } AS unread_count
