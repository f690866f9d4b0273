// Bulk import: links producer pages to the user accounts that claim them.
// params: rows [{start (producer id), end (user id)}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
MATCH (p:Producer {id: row.start})
MATCH (u:User {id: row.end})
CREATE (p)-[r:CLAIMED_BY]->(u)
RETURN count(r) AS created
