// Keeps new messages' live events on the messages, in the transaction that stores them,
// until they are relayed: if the process dies between the commit and the Redis publish,
// the notification worker finds them once `relay_due` has passed and relays them itself.
// Runs after the batch's send_messages statement, in the same transaction (a separate
// file so that one stays about the message alone); one statement for the whole batch.
// params: held [{message_id, events (JSON text of the message's event batch)}],
//         hold_seconds
// returns: nothing
// mode: write
UNWIND $held AS held
MATCH (m:Message {id: held.message_id})
SET m.relay_events = held.events,
    m.relay_due = datetime() + duration({seconds: $hold_seconds})
