// Bulk import: links beats to the producer that uploaded them. No fan-out job: an
// imported beat is history, its likers are not told again.
// params: rows [{start (producer id), end (beat id)}]
// returns: created (count)
// mode: write
UNWIND $rows AS row
MATCH (p:Producer {id: row.start})
MATCH (b:Beat {id: row.end})
CREATE (p)-[r:UPLOADED]->(b)
RETURN count(r) AS created
