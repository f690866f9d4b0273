// Creates a group conversation of the caller and the given users (each membership with
// its list key; nothing is unread yet, so no badge moves), unless one of them does
// not exist or a block stands between the caller and one of them.
// params: user_id, participant_ids (the others, distinct), conversation_id, title (or null)
// returns: found (how many of participant_ids exist), blocked_ids, conversation_id (null
//          unless created)
// mode: write
MATCH (me:User {id: $user_id})
CALL () {
  MATCH (u:User) WHERE u.id IN $participant_ids
  RETURN collect(u) AS others
}
WITH me, others, [u IN others WHERE EXISTS { (me)-[:BLOCKS]-(u) } | u.id] AS blocked_ids
OPTIONAL CALL (me, others, blocked_ids) {
  WITH me, others, blocked_ids
  WHERE size(others) = size($participant_ids) AND size(blocked_ids) = 0
  CREATE (c:Conversation {id: $conversation_id, kind: 'group', title: $title,
                          created_at: datetime.statement(), last_seq: 0})
  WITH c, others + [me] AS members
  UNWIND members AS member
  CREATE (member)-[:PARTICIPATES {user_id: member.id, joined_at: datetime.statement(),
                                  read_seq: 0, delivered_seq: 0, marked_unread: false,
                                  hidden: false, listed_at: c.created_at}]->(c)
  RETURN DISTINCT c.id AS conversation_id
}
RETURN size(others) AS found, blocked_ids, conversation_id
