// Bulk import that failed part-way: removes the FOLLOWS edges it created between users who
// were already in the database (the others went with their imported nodes).
// params: keys (list of strings)
// returns: deleted (count)
// mode: write
UNWIND $keys AS key
MATCH ()-[r:FOLLOWS {key: key}]->()
DELETE r
RETURN count(*) AS deleted
