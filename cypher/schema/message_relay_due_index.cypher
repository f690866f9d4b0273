// Lets the worker find messages whose live events are still held, without scanning every
// message: only those carry `relay_due`, so the index holds only them.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX message_relay_due IF NOT EXISTS
FOR (m:Message) ON (m.relay_due)
