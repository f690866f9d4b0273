// Bulk import that failed part-way: removes the Message nodes it created, with their
// relationships (the import checked beforehand that none of these ids existed).
// params: ids (list of strings)
// returns: deleted (count)
// mode: write
UNWIND $ids AS id
MATCH (n:Message {id: id})
DETACH DELETE n
RETURN count(*) AS deleted
