// Bulk import: creates a batch of producer likes with their key and endpoint ids (as
// like_producer writes them).
// params: rows [{start (user id), end (producer id), key, since (ISO text)}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
MATCH (u:User {id: row.start})
MATCH (p:Producer {id: row.end})
CREATE (u)-[r:LIKES {key: row.key, since: datetime(row.since), user_id: row.start,
                     producer_id: row.end}]->(p)
RETURN count(r) AS created
