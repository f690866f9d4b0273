// Bulk import: creates a batch of conversations with their pair key (direct ones), last
// seq and last activity, as the messaging statements keep them.
// params: rows [{id, kind, title, pair_key, created_at, last_seq, last_message_at}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
CREATE (c:Conversation {id: row.id, kind: row.kind, title: row.title, pair_key: row.pair_key,
  created_at: datetime(row.created_at), last_seq: row.last_seq,
  last_message_at: CASE WHEN row.last_message_at IS NULL THEN null
                        ELSE datetime(row.last_message_at) END})
RETURN count(c) AS created
