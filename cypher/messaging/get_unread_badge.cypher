// The message badge: conversations with something unread (or marked unread) and the
// number of unread messages, from each membership's markers; no message is read.
// params: user_id
// returns: conversations, messages
// mode: read
OPTIONAL MATCH (:User {id: $user_id})-[p:PARTICIPATES]->(c:Conversation)
WHERE NOT p.hidden
WITH c.last_seq - p.read_seq AS unread, p
RETURN sum(CASE WHEN unread > 0 OR p.marked_unread THEN 1 ELSE 0 END) AS conversations,
       sum(CASE WHEN unread > 0 THEN unread ELSE 0 END) AS messages
