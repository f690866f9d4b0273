// Forgets the held live events of messages whose events Redis now has.
// params: message_ids
// returns: nothing
// mode: write
UNWIND $message_ids AS message_id
MATCH (m:Message {id: message_id})
REMOVE m.relay_events, m.relay_due
