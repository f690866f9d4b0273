// Bulk import: creates a batch of beats (linked to their producer by link_uploads).
// params: rows [{id, title, created_at (ISO text)}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
CREATE (b:Beat {id: row.id, title: row.title, created_at: datetime(row.created_at)})
RETURN count(b) AS created
