// Bulk import: creates a batch of messages with their seq, sender and conversation.
// params: rows [{id, conversation_id, seq, sender_id, client_id, body, created_at}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
MATCH (c:Conversation {id: row.conversation_id})
MATCH (u:User {id: row.sender_id})
CREATE (u)-[:SENT]->(m:Message {id: row.id, conversation_id: row.conversation_id,
  seq: row.seq, sender_id: row.sender_id, client_id: row.client_id, body: row.body,
  created_at: datetime(row.created_at)})-[:IN]->(c)
RETURN count(m) AS created
