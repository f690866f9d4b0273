// Test fixture: puts each of the given users into $count more direct conversations, each
// with a new partner who sent one message the user has not read. It keeps the users'
// badge counters and list keys as the app's own transactions would, in one statement, so
// a growth test builds thousands of conversations in a second.
// params: user_ids, count, prefix (lower-case, unique per call: ids and usernames)
// returns: added (conversations made)
// mode: write
UNWIND $user_ids AS user_id
MATCH (me:User {id: user_id})
UNWIND range(1, $count) AS n
WITH me, n, $prefix + '-' + me.id + '-' + n AS key,
     datetime() - duration({days: 1, seconds: n}) AS at
CREATE (other:User {id: key + '-u', username: key, username_key: toLower(key),
                    display_name: key, display_name_key: toLower(key),
                    created_at: at, unread_conversations: 0, unread_messages: 0})
CREATE (c:Conversation {id: key + '-c', kind: 'direct', pair_key: key + '-pair',
                        created_at: at, last_seq: 1, last_message_at: at})
CREATE (me)-[:PARTICIPATES {user_id: me.id, joined_at: at, read_seq: 0, delivered_seq: 0,
                            marked_unread: false, hidden: false, listed_at: at}]->(c)
CREATE (other)-[:PARTICIPATES {user_id: other.id, joined_at: at, read_seq: 1,
                               delivered_seq: 1, marked_unread: false, hidden: false,
                               listed_at: at}]->(c)
CREATE (other)-[:SENT]->(:Message {id: key + '-m', conversation_id: c.id, seq: 1,
                                   sender_id: other.id, client_id: key, body: 'hello',
                                   created_at: at})-[:IN]->(c)
WITH me, count(*) AS added
SET me.unread_conversations = coalesce(me.unread_conversations, 0) + added,
    me.unread_messages = coalesce(me.unread_messages, 0) + added
RETURN sum(added) AS added
