// One conversation the caller is in, with every participant's read and delivery markers.
// params: user_id, conversation_id
// returns: no row unless the user participates; else conversation (map)
// The index hints seek the user and the conversation and join them, rather than walk
// every conversation of a user in thousands of them.
// mode: read
MATCH (me:User {id: $user_id})-[p:PARTICIPATES]->(c:Conversation {id: $conversation_id})
USING INDEX me:User(id)
USING INDEX c:Conversation(id)
RETURN c {.id, .kind, .title, .created_at, .last_seq,
          updated_at: coalesce(c.last_message_at, c.created_at),
          unread_count: c.last_seq - p.read_seq, marked_unread: p.marked_unread,
          hidden: p.hidden,
          participants: [(c)<-[q:PARTICIPATES]-(u:User) |
            u {.id, .username, .display_name, .avatar_url,
               following: EXISTS { (me)-[:FOLLOWS]->(u) },
               read_seq: q.read_seq, delivered_seq: q.delivered_seq}]
         } AS conversation
