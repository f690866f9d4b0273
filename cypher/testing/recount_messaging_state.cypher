// Test oracle: a user's message badge and recent list recounted from every membership
// (the scan the app never runs), to compare with what the app keeps up to date.
// params: user_id
// returns: conversations, messages (the badge), listed (ids of the conversations not
//          hidden, newest activity first, ties by id descending), unread [[id, count]]
// mode: read
MATCH (u:User {id: $user_id})
OPTIONAL MATCH (u)-[p:PARTICIPATES]->(c:Conversation)
WITH p, c, c.last_seq - p.read_seq AS unread
ORDER BY coalesce(c.last_message_at, c.created_at) DESC, c.id DESC
RETURN sum(CASE WHEN NOT p.hidden AND (unread > 0 OR p.marked_unread) THEN 1 ELSE 0 END)
         AS conversations,
       sum(CASE WHEN NOT p.hidden AND unread > 0 THEN unread ELSE 0 END) AS messages,
       collect(CASE WHEN NOT p.hidden THEN c.id END) AS listed,
       collect([c.id, unread]) AS unread
