// Backfill for graphs made before the message badge was kept: for the next $batch users
// (in id order, strictly after $after_id) that have no badge counters yet, gives each of
// their memberships its list key (user_id, listed_at: the conversation's last activity,
// none while hidden) and sets the counters from a recount. The user's node is locked
// first, as every badge writer does, so the recount is exact even while the app serves.
// Users that already have counters are passed over, so running it again changes nothing.
// params: after_id ('' to start), batch
// returns: seen (users looked at), last_id (the cursor for the next batch, null at the
//          end), counted (users given counters)
// mode: write
MATCH (u:User)
WHERE u.id > $after_id
WITH u ORDER BY u.id LIMIT $batch
OPTIONAL CALL (u) {
  WITH u WHERE u.unread_messages IS NULL OR u.unread_conversations IS NULL
  SET u._LOCK_ = true
  WITH u
  OPTIONAL MATCH (u)-[p:PARTICIPATES]->(c:Conversation)
  SET p.user_id = u.id,
      p.listed_at = CASE WHEN p.hidden THEN null
                         ELSE coalesce(c.last_message_at, c.created_at) END
  WITH u, p, c.last_seq - p.read_seq AS unread
  WITH u,
       sum(CASE WHEN NOT p.hidden AND (unread > 0 OR p.marked_unread) THEN 1 ELSE 0 END)
         AS conversations,
       sum(CASE WHEN NOT p.hidden AND unread > 0 THEN unread ELSE 0 END) AS messages
  SET u.unread_conversations = conversations, u.unread_messages = messages
  REMOVE u._LOCK_
  RETURN 1 AS counted
}
RETURN count(u) AS seen, max(u.id) AS last_id, sum(counted) AS counted
