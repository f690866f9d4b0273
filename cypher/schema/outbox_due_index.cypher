// Lets the worker find the outbox entries that are due (state, then time) without
// scanning delivered history or the dead letters.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX outbox_due IF NOT EXISTS
FOR (e:OutboxEntry) ON (e.state, e.next_attempt_at)
