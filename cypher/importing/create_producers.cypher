// Bulk import: creates a batch of producer pages.
// params: rows [{id, slug, name, created_at (ISO text)}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
CREATE (p:Producer {id: row.id, slug: row.slug, name: row.name,
                    created_at: datetime(row.created_at)})
RETURN count(p) AS created
