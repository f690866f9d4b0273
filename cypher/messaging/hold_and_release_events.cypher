// The relay bookkeeping of messages, in one statement: keeps new messages' live events on
// them, in the transaction that stores them, until they are relayed (if the process dies
// between the commit and the Redis publish, the notification worker finds them once
// `relay_due` has passed and relays them itself), and forgets the held events of messages
// whose events Redis now has. A send batch runs it after its send_messages statement, in
// the same transaction (one round trip for both jobs: under load each round trip of the
// batch's transaction holds up every send queued behind it); the worker runs it with no
// `held` after relaying what a process left.
// params: held [{message_id, events (JSON text of the message's event batch)}],
//         hold_seconds, released [message ids]
// returns: nothing
// mode: write
CALL () {
  UNWIND $released AS message_id
  MATCH (m:Message {id: message_id})
  REMOVE m.relay_events, m.relay_due
}
UNWIND $held AS held
MATCH (m:Message {id: held.message_id})
SET m.relay_events = held.events,
    m.relay_due = datetime() + duration({seconds: $hold_seconds})
