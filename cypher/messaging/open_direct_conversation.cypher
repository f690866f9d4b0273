// Opens the direct conversation between two users: reuses it if it exists, else creates
// it. MERGE on the unique pair_key makes two simultaneous opens converge on one node.
// Opening it again un-hides it for the caller: their membership gets its list key back
// and its unread share returns to their badge counters. The caller's User node is locked
// first, as every badge writer does, so the hidden flag read below is current.
// params: user_id, other_id, pair_key (the two ids sorted, joined by ':'),
//         conversation_id (used only if created)
// returns: other_exists, blocked, conversation_id (null unless opened), created
// mode: write
MATCH (me:User {id: $user_id})
SET me._LOCK_ = true
WITH me
OPTIONAL MATCH (other:User {id: $other_id})
WITH me, other, other IS NOT NULL AND EXISTS { (me)-[:BLOCKS]-(other) } AS blocked
OPTIONAL CALL (me, other, blocked) {
  WITH me, other, blocked WHERE other IS NOT NULL AND NOT blocked
  MERGE (c:Conversation {pair_key: $pair_key})
  ON CREATE SET c.id = $conversation_id, c.kind = 'direct', c.created_at = datetime.statement(),
                c.last_seq = 0
  WITH me, other, c
  UNWIND [me, other] AS member
  MERGE (member)-[p:PARTICIPATES]->(c)
  ON CREATE SET p.user_id = member.id, p.joined_at = datetime.statement(), p.read_seq = 0,
                p.delivered_seq = 0, p.marked_unread = false, p.hidden = false,
                p.listed_at = c.created_at
  WITH me, c, p, member = me AND p.hidden AS shown_again
  CALL (me, c, p, shown_again) {
    WITH me, c, p WHERE shown_again
    SET p.hidden = false, p.listed_at = coalesce(c.last_message_at, c.created_at),
        me.unread_messages = me.unread_messages + c.last_seq - p.read_seq,
        me.unread_conversations = me.unread_conversations
          + CASE WHEN c.last_seq > p.read_seq OR p.marked_unread THEN 1 ELSE 0 END
  }
  RETURN DISTINCT c.id AS conversation_id, c.id = $conversation_id AS created
}
REMOVE me._LOCK_
RETURN other IS NOT NULL AS other_exists, blocked, conversation_id,
       coalesce(created, false) AS created
