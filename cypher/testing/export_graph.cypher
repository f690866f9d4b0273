// Test: the whole (small) graph as a BeatPass export would give it, one list of rows
// per file of the import (bulk/spec.py), so a test can import it again and compare.
// params: none
// returns: users, producers, beats, follows, likes, conversations, participants,
//          messages (lists of maps; times as ISO text)
// mode: read
RETURN
  COLLECT { MATCH (u:User) RETURN u {.id, .username, .display_name, .avatar_url, .email,
            created_at: toString(u.created_at)} AS row ORDER BY u.id } AS users,
  COLLECT { MATCH (p:Producer) OPTIONAL MATCH (p)-[:CLAIMED_BY]->(o:User)
            RETURN p {.id, .slug, .name, user_id: o.id, created_at: toString(p.created_at)} AS row
            ORDER BY p.id } AS producers,
  COLLECT { MATCH (p:Producer)-[:UPLOADED]->(b:Beat)
            RETURN b {.id, producer_id: p.id, .title, created_at: toString(b.created_at)} AS row
            ORDER BY b.id } AS beats,
  COLLECT { MATCH (a:User)-[f:FOLLOWS]->(b:User)
            RETURN {follower_id: a.id, followee_id: b.id, since: toString(f.since)} AS row
            ORDER BY f.key } AS follows,
  COLLECT { MATCH (u:User)-[l:LIKES]->(p:Producer)
            RETURN {user_id: u.id, producer_id: p.id, since: toString(l.since)} AS row
            ORDER BY l.key } AS likes,
  COLLECT { MATCH (c:Conversation)
            RETURN c {.id, .kind, .title, created_at: toString(c.created_at)} AS row
            ORDER BY c.id } AS conversations,
  COLLECT { MATCH (u:User)-[p:PARTICIPATES]->(c:Conversation)
            RETURN {conversation_id: c.id, user_id: u.id, joined_at: toString(p.joined_at),
                    read_seq: p.read_seq, delivered_seq: p.delivered_seq,
                    marked_unread: p.marked_unread, hidden: p.hidden} AS row
            ORDER BY c.id, u.id } AS participants,
  COLLECT { MATCH (u:User)-[:SENT]->(m:Message)-[:IN]->(c:Conversation)
            RETURN {id: m.id, conversation_id: c.id, sender_id: u.id, body: m.body,
                    client_id: m.client_id, created_at: toString(m.created_at)} AS row
            ORDER BY c.id, m.seq } AS messages
