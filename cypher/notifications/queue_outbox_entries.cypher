// Queues the email and push of notifications just made, in the transaction that made them
// (run right after the statement that returned the `entries`), so the rule lives here
// once: one OutboxEntry per recipient and channel of $channels (graph.notifications'
// table) that the recipient has not switched off (`<preference>.<channel>` in
// notifications_off), email only to a user with an address. The worker sends them after
// commit.
// params: type, preference, channels, entries (list of {recipient_id, actor_name,
//         subject_id, subject_name})
// returns: queued (how many entries were created)
// mode: write
UNWIND $entries AS entry
MATCH (u:User {id: entry.recipient_id})
UNWIND $channels AS channel
WITH u, entry, channel
WHERE NOT ($preference + '.' + channel) IN coalesce(u.notifications_off, [])
  AND (channel = 'push' OR u.email IS NOT NULL)
CREATE (:OutboxEntry {id: randomUUID(), recipient_id: u.id, channel: channel,
  address: CASE channel WHEN 'email' THEN u.email END, type: $type,
  actor_name: entry.actor_name, subject_id: entry.subject_id,
  subject_name: entry.subject_name,
  attempts: 0, state: 'pending', next_attempt_at: datetime.statement(),
  created_at: datetime.statement()})
RETURN count(*) AS queued
