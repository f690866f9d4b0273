// Keeps a new message's live events on the message, in the transaction that stores it,
// until they are relayed: if the process dies between the commit and the Redis publish,
// the notification worker finds them once `relay_due` has passed and relays them itself.
// Runs after send_message in the same transaction (a separate file so that one stays
// about the message alone).
// params: message_id, events (JSON text of the event batch), hold_seconds
// returns: nothing
// mode: write
MATCH (m:Message {id: $message_id})
SET m.relay_events = $events,
    m.relay_due = datetime() + duration({seconds: $hold_seconds})
