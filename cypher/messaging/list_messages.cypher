// A page of a conversation's messages, newest first, strictly before $before_seq, with the
// other participants' markers (for sent/delivered/seen). The (conversation_id, seq) index
// serves the page in order (ORDER BY starts with the equality key so the planner uses the
// index order), so its cost does not grow with the conversation's history.
// params: user_id, conversation_id, before_seq (a huge number for the newest page), limit
// returns: no row unless the user participates; else messages, others [{id, read_seq,
//          delivered_seq}]
// The index hints seek the user and the conversation and join them, rather than walk
// every conversation of a user in thousands of them.
// mode: read
MATCH (me:User {id: $user_id})-[:PARTICIPATES]->(c:Conversation {id: $conversation_id})
USING INDEX me:User(id)
USING INDEX c:Conversation(id)
CALL () {
  MATCH (m:Message)
  WHERE m.conversation_id = $conversation_id AND m.seq < $before_seq
  WITH m ORDER BY m.conversation_id DESC, m.seq DESC LIMIT $limit
  MATCH (sender:User {id: m.sender_id})
  RETURN collect(m {.id, .seq, .client_id, .body, created_at: m.created_at.epochMillis,
                    .sender_id,
                    sender: sender {.id, .username, .display_name, .avatar_url}}) AS messages
}
RETURN messages,
       [(c)<-[p:PARTICIPATES]-(u:User) WHERE u.id <> $user_id |
         {id: u.id, read_seq: p.read_seq, delivered_seq: p.delivered_seq}] AS others
