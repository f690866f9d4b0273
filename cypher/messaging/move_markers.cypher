// Moves the caller's read or delivery marker forward (never back), capped at the latest
// message. Reading implies delivery and clears "marked unread". The caller's User node is
// locked before the markers are read (every writer of a member's markers and badge takes
// that lock first), so racing receipts cannot move a marker backwards and a racing send
// cannot count against stale markers. The badge counters on the User move by what this
// conversation's share changed; nothing else is read.
// params: user_id, conversation_id, up_to_seq (or null: the latest), read (boolean)
// returns: no row unless the user participates; else before {read_seq, delivered_seq,
//          marked_unread}, after {...}, last_seq, sender markers for status events:
//          others [{id, read_seq, delivered_seq}], unread {conversations, messages} (the
//          caller's badge after the change)
// Reading up to the latest message also reads the conversation's direct-message
// notification, so the bell does not keep counting messages already seen. Patterns that
// start from a bound node give the far end no label (PARTICIPATES and UNREAD only ever
// start at a User): with `(:User)` there, a plan may scan every user and expand into the
// bound node instead (the growth test below saw ~5 db hits per user, 1 full suite in 3).
// The user and the conversation are each sought by id first, then joined by an
// Expand(Into) that costs the conversation's members, never the user's conversations in
// thousands of them. The `LIMIT 1` (of at most one row: two unique seeks) is a horizon
// the planner cannot fold away: without it, it may seek the user and walk all of their
// memberships; with index hints instead, a plan made on a small graph scanned every user.
// mode: write
MATCH (me:User {id: $user_id}), (c:Conversation {id: $conversation_id})
WITH me, c LIMIT 1
MATCH (me)-[p:PARTICIPATES]->(c)
SET me._LOCK_ = true
WITH me, p, c, {read_seq: p.read_seq, delivered_seq: p.delivered_seq,
                marked_unread: p.marked_unread} AS before,
     CASE WHEN $up_to_seq IS NULL OR $up_to_seq > c.last_seq THEN c.last_seq
          ELSE $up_to_seq END AS target,
     CASE WHEN p.hidden THEN 0 ELSE c.last_seq - p.read_seq END AS messages_before,
     CASE WHEN NOT p.hidden AND (c.last_seq > p.read_seq OR p.marked_unread)
          THEN 1 ELSE 0 END AS conversations_before
SET p.delivered_seq = CASE WHEN target > p.delivered_seq THEN target ELSE p.delivered_seq END,
    p.read_seq = CASE WHEN $read AND target > p.read_seq THEN target ELSE p.read_seq END,
    p.marked_unread = CASE WHEN $read THEN false ELSE p.marked_unread END
WITH me, p, c, before, messages_before, conversations_before
SET me.unread_messages = me.unread_messages - messages_before
      + CASE WHEN p.hidden THEN 0 ELSE c.last_seq - p.read_seq END,
    me.unread_conversations = me.unread_conversations - conversations_before
      + CASE WHEN NOT p.hidden AND (c.last_seq > p.read_seq OR p.marked_unread)
             THEN 1 ELSE 0 END
REMOVE me._LOCK_
WITH me, p, c, before
CALL (p, c) {
  WITH p, c WHERE $read AND p.read_seq >= c.last_seq
  MATCH (n:Notification {key: 'dm:' + $user_id + ':' + $conversation_id})
  SET n.read = true
  REMOVE n.key
  WITH n
  MATCH (n)<-[unread:UNREAD]-()
  DELETE unread
}
RETURN before,
       {read_seq: p.read_seq, delivered_seq: p.delivered_seq,
        marked_unread: p.marked_unread} AS after,
       c.last_seq AS last_seq,
       [(c)<-[q:PARTICIPATES]-(u) WHERE u.id <> $user_id |
         {id: u.id, read_seq: q.read_seq, delivered_seq: q.delivered_seq}] AS others,
       {conversations: coalesce(me.unread_conversations, 0),
        messages: coalesce(me.unread_messages, 0)} AS unread
