// Bulk import: creates a batch of memberships with their markers and list key
// (`listed_at`, absent while hidden), as the messaging statements keep them.
// params: rows [{start (user id), end (conversation id), joined_at, read_seq,
//         delivered_seq, marked_unread, hidden, listed_at (or null)}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
MATCH (u:User {id: row.start})
MATCH (c:Conversation {id: row.end})
CREATE (u)-[p:PARTICIPATES {user_id: row.start, joined_at: datetime(row.joined_at),
  read_seq: row.read_seq, delivered_seq: row.delivered_seq,
  marked_unread: row.marked_unread, hidden: row.hidden,
  listed_at: CASE WHEN row.listed_at IS NULL THEN null ELSE datetime(row.listed_at) END}]->(c)
RETURN count(p) AS created
