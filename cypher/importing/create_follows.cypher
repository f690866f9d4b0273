// Bulk import: creates a batch of follows with the key and endpoint ids that the
// uniqueness constraint and the keyset indexes read (as follow_user writes them).
// params: rows [{start (follower id), end (followee id), key, since (ISO text)}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
MATCH (a:User {id: row.start})
MATCH (b:User {id: row.end})
CREATE (a)-[r:FOLLOWS {key: row.key, since: datetime(row.since), follower_id: row.start,
                       followee_id: row.end}]->(b)
RETURN count(r) AS created
