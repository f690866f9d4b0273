// Appends messages, each to a conversation its sender is in: one row per send, in the
// order given (a group commit's batch, graph/messages.py), each run of the subquery seeing
// what the earlier ones wrote, so one statement stores a batch into any conversations.
// For each send: the conversation's write lock is taken first (the documented `_LOCK_`
// idiom), so concurrent senders get gapless seqs and concurrent retries of one client_id
// see each other: the second finds the first's message and stores nothing. Under that lock the statement does only what needs it: the seq, the
// message, then each member's own counters (below) — never a walk of anyone's other
// conversations.
// Members: sending moves the sender's own markers to the new message and un-hides the
// conversation for everyone (`hidden` is written only where it is true). Each member's
// badge counters on their User node (unread_conversations, unread_messages) move by what
// this conversation's share changed, and the membership's list key (`listed_at`, the
// PARTICIPATES(user_id, listed_at) index) moves to the message. Each member's node is
// locked before their membership is read (every badge writer does the same), in user-id
// order so two sends sharing members take those locks in one order. A user without
// counters (a graph from before they were kept) keeps none (null + 1 is null) until
// `flask migrate` counts them exactly; the badge reads it as 0 meanwhile.
// params: sends [{user_id, conversation_id, message_id, client_id, body, notify_ids (the
//         other participants without a live socket)}]
// A block between the two people of a direct conversation stops new messages in it; in a
// group, messages flow whatever the blocks, but no notification (bell, email, push) goes
// to a participant in a block with the sender. Each block check is a seek of the pair's
// BLOCKS key (both directions), so it costs the same whatever anyone's blocks or history.
// The seek is named: from an index sampled while nearly empty the planner once scanned
// every block instead (154 → 4,722 db hits in the growth test, one full suite).
// returns: one row per send, in order: found (null if the sender is not a participant,
//          and so is every other column); else blocked, message (map, null when blocked),
//          created,
//          same_conversation, same_body, participants [{id, read_seq, delivered_seq,
//          unread: {conversations, messages}}], notified [{user_id, notification,
//          unread_count}], outbox [{recipient_id, actor_name, subject_id, subject_name}]
//          (for queue_outbox_entries, run next in the same transaction, once per batch)
// The user and the conversation are each sought by id first, then joined by an
// Expand(Into) that costs the conversation's members, never the user's conversations in
// thousands of them. The `LIMIT 1` (of at most one row: two unique seeks) is a horizon
// the planner cannot fold away: without it, it may seek the user and walk all of their
// memberships; with index hints instead, a plan made on a small graph scanned every user.
// mode: write
UNWIND $sends AS send
OPTIONAL CALL (send) {
  MATCH (me:User {id: send.user_id}), (c:Conversation {id: send.conversation_id})
  WITH send, me, c LIMIT 1
  MATCH (me)-[mine:PARTICIPATES]->(c)
  SET c._LOCK_ = true
  WITH send, me, mine, c, c.kind = 'direct' AND EXISTS {
         MATCH (c)<-[:PARTICIPATES]-(other:User) WHERE other <> me
         WITH [me.id + '>' + other.id, other.id + '>' + me.id] AS keys
         MATCH ()-[block:BLOCKS]->() USING INDEX SEEK block:BLOCKS(key)
         WHERE block.key IN keys
       } AS blocked
  OPTIONAL MATCH (existing:Message {sender_id: send.user_id, client_id: send.client_id})
  OPTIONAL CALL (send, me, c, existing, blocked) {
    WITH send, me, c, existing, blocked WHERE existing IS NULL AND NOT blocked
    SET c.last_seq = c.last_seq + 1, c.last_message_at = datetime.statement()
    CREATE (me)-[:SENT]->(m:Message {id: send.message_id, conversation_id: c.id,
                                     seq: c.last_seq, sender_id: send.user_id,
                                     client_id: send.client_id, body: send.body,
                                     created_at: datetime.statement()})-[:IN]->(c)
    RETURN m, true AS created
    UNION
    WITH existing WHERE existing IS NOT NULL
    RETURN existing AS m, false AS created
  }
  CALL (c, m, created) {
    WITH c, m WHERE created
    MATCH (c)<-[p:PARTICIPATES]-(u:User)
    WITH m, p, u ORDER BY u.id
    SET u._LOCK_ = true
    WITH m, p, u, u.id = m.sender_id AS sending,
         CASE WHEN p.hidden THEN 0 ELSE m.seq - 1 - p.read_seq END AS messages_before,
         CASE WHEN NOT p.hidden AND (m.seq - 1 > p.read_seq OR p.marked_unread)
              THEN 1 ELSE 0 END AS conversations_before
    CALL (p) {
      WITH p WHERE p.hidden
      SET p.hidden = false
    }
    CALL (p, m, sending) {
      WITH p, m WHERE sending
      SET p.read_seq = m.seq, p.delivered_seq = m.seq, p.marked_unread = false
    }
    SET p.listed_at = m.created_at,
        u.unread_conversations = u.unread_conversations - conversations_before
          + CASE WHEN sending THEN 0 ELSE 1 END,
        u.unread_messages = u.unread_messages - messages_before
          + CASE WHEN sending THEN 0 ELSE m.seq - p.read_seq END
    REMOVE u._LOCK_
  }
  REMOVE c._LOCK_
  WITH send, c, m, created, blocked
  OPTIONAL MATCH (sender:User {id: m.sender_id})
  // A new message tells the participants without a live socket (`notify_ids`) who are in
  // no block with the sender (picked out of the conversation's members, so no plan can
  // seek them and walk their own memberships): each keeps at most one unread
  // direct-message notification per conversation (its unique key), whose message_count
  // follows their unread count instead of piling up; email and push go out only for the
  // first unread message of a run (`outbox`: queue_outbox_entries applies the channel
  // switches). In-app switched off makes no notification. A notification is new when it
  // has no ABOUT yet: two sends of one batch may tell the same member, and the second
  // must find the first's notification, not make its edges again.
  CALL (send, c, sender, created) {
    UNWIND CASE WHEN created
             THEN [row IN [(c)<-[p:PARTICIPATES]-(u:User) | [u, p]]
                   WHERE row[0].id IN send.notify_ids]
             ELSE [] END AS member
    WITH c, sender, member[0] AS u, c.last_seq - member[1].read_seq AS unread
    WHERE unread > 0 AND NOT EXISTS {
      MATCH ()-[block:BLOCKS]->() USING INDEX SEEK block:BLOCKS(key)
      WHERE block.key IN [u.id + '>' + sender.id, sender.id + '>' + u.id]
    }
    OPTIONAL CALL (c, sender, u, unread) {
      WITH c, sender, u, unread
      WHERE NOT 'direct_messages.in_app' IN coalesce(u.notifications_off, [])
      MERGE (n:Notification {key: 'dm:' + u.id + ':' + c.id})
      ON CREATE SET n.id = randomUUID(), n.type = 'direct_message', n.recipient_id = u.id,
                    n.created_at = datetime.statement(), n.read = false
      SET n.actor_id = sender.id, n.message_count = unread
      WITH c, sender, u, n, NOT EXISTS { (n)-[:ABOUT]->() } AS fresh
      CALL (c, u, n, fresh) {
        WITH c, u, n WHERE fresh
        CREATE (u)-[:HAS_NOTIFICATION]->(n)-[:ABOUT]->(c)
        CREATE (u)-[:UNREAD]->(n)
      }
      RETURN n
    }
    RETURN collect(CASE WHEN n IS NOT NULL THEN {user_id: u.id,
      notification: n {.id, .type, created_at: n.created_at.epochMillis, .read, .message_count,
                       actor: sender {.id, .username, .display_name, .avatar_url},
                       conversation: c {.id, .kind, .title}},
      unread_count: COUNT { (u)-[:UNREAD]->() }} END) AS notified,
      collect(CASE WHEN unread = 1 THEN {recipient_id: u.id, actor_name: sender.display_name,
        subject_id: c.id, subject_name: c.title} END) AS outbox
  }
  RETURN true AS found, blocked, notified, outbox,
         m {.id, .conversation_id, .seq, .client_id, .body,
            created_at: m.created_at.epochMillis,
            sender: sender {.id, .username, .display_name, .avatar_url}} AS message,
         created, m.conversation_id = c.id AS same_conversation, m.body = send.body AS same_body,
         [(c)<-[member:PARTICIPATES]-(u:User) |
           {id: u.id, read_seq: member.read_seq, delivered_seq: member.delivered_seq,
            unread: {conversations: coalesce(u.unread_conversations, 0),
                     messages: coalesce(u.unread_messages, 0)}}] AS participants
}
RETURN found, blocked, notified, outbox, message, created, same_conversation, same_body,
       participants
