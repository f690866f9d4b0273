// Moves the caller's read or delivery marker forward (never back), capped at the latest
// message. Reading implies delivery and clears "marked unread". The membership's lock is
// taken before the markers are read, so racing receipts cannot move a marker backwards.
// params: user_id, conversation_id, up_to_seq (or null: the latest), read (boolean)
// returns: no row unless the user participates; else before {read_seq, delivered_seq,
//          marked_unread}, after {...}, last_seq, sender markers for status events:
//          others [{id, read_seq, delivered_seq}]
// Reading up to the latest message also reads the conversation's direct-message
// notification, so the bell does not keep counting messages already seen.
// The index hints seek the user and the conversation and join them, rather than walk
// every conversation of a user in thousands of them.
// mode: write
MATCH (me:User {id: $user_id})-[p:PARTICIPATES]->(c:Conversation {id: $conversation_id})
USING INDEX me:User(id)
USING INDEX c:Conversation(id)
SET p._LOCK_ = true
WITH p, c, {read_seq: p.read_seq, delivered_seq: p.delivered_seq,
            marked_unread: p.marked_unread} AS before,
     CASE WHEN $up_to_seq IS NULL OR $up_to_seq > c.last_seq THEN c.last_seq
          ELSE $up_to_seq END AS target
SET p.delivered_seq = CASE WHEN target > p.delivered_seq THEN target ELSE p.delivered_seq END,
    p.read_seq = CASE WHEN $read AND target > p.read_seq THEN target ELSE p.read_seq END,
    p.marked_unread = CASE WHEN $read THEN false ELSE p.marked_unread END
REMOVE p._LOCK_
WITH p, c, before
CALL (p, c) {
  WITH p, c WHERE $read AND p.read_seq >= c.last_seq
  MATCH (n:Notification {key: 'dm:' + $user_id + ':' + $conversation_id})
  SET n.read = true
  REMOVE n.key
  WITH n
  MATCH (:User)-[unread:UNREAD]->(n)
  DELETE unread
}
RETURN before,
       {read_seq: p.read_seq, delivered_seq: p.delivered_seq,
        marked_unread: p.marked_unread} AS after,
       c.last_seq AS last_seq,
       [(c)<-[q:PARTICIPATES]-(u:User) WHERE u.id <> $user_id |
         {id: u.id, read_seq: q.read_seq, delivered_seq: q.delivered_seq}] AS others
