// Claims up to $limit messages whose live events are still held after their due time
// (the process that stored them died before relaying them, or Redis was away): pushes
// `relay_due` forward by the lease, so a worker that dies mid-relay leaves them to the
// next one. Two workers claiming the same message is harmless: the relay adds a batch to
// Redis at most once per message.
// params: limit, lease_seconds
// returns: one row per claimed message: message_id, events (JSON text)
// mode: write
MATCH (m:Message)
WHERE m.relay_due <= datetime()
WITH m ORDER BY m.relay_due LIMIT $limit
SET m.relay_due = datetime() + duration({seconds: $lease_seconds})
RETURN m.id AS message_id, m.relay_events AS events
