// Marks a conversation unread, or hides it from the caller's list (only theirs), or shows
// it again. A hidden membership has no list key (`listed_at`), so the list's index never
// holds it. The caller's User node is locked before the membership is read (as every
// badge writer does), and the badge counters on it move by what this conversation's share
// changed.
// params: user_id, conversation_id, marked_unread (boolean or null: unchanged),
//         hidden (boolean or null: unchanged)
// returns: no row unless the user participates; else unread_count, marked_unread, hidden,
//          unread {conversations, messages} (the caller's badge after the change)
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
WITH me, p, c,
     CASE WHEN p.hidden THEN 0 ELSE c.last_seq - p.read_seq END AS messages_before,
     CASE WHEN NOT p.hidden AND (c.last_seq > p.read_seq OR p.marked_unread)
          THEN 1 ELSE 0 END AS conversations_before
SET p.marked_unread = coalesce($marked_unread, p.marked_unread),
    p.hidden = coalesce($hidden, p.hidden)
WITH me, p, c, messages_before, conversations_before
SET p.listed_at = CASE WHEN p.hidden THEN null
                       ELSE coalesce(p.listed_at, c.last_message_at, c.created_at) END,
    me.unread_messages = me.unread_messages - messages_before
      + CASE WHEN p.hidden THEN 0 ELSE c.last_seq - p.read_seq END,
    me.unread_conversations = me.unread_conversations - conversations_before
      + CASE WHEN NOT p.hidden AND (c.last_seq > p.read_seq OR p.marked_unread)
             THEN 1 ELSE 0 END
REMOVE me._LOCK_
RETURN c.last_seq - p.read_seq AS unread_count, p.marked_unread AS marked_unread,
       p.hidden AS hidden,
       {conversations: coalesce(me.unread_conversations, 0),
        messages: coalesce(me.unread_messages, 0)} AS unread
