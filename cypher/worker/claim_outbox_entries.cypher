// Claims up to $limit due outbox entries for one worker: each claim counts an attempt and
// pushes next_attempt_at forward by the lease, so an entry whose worker dies mid-send is
// retried by the next worker. Entries are locked and re-checked before they are claimed,
// so two workers never send the same one.
// params: claim, limit, lease_seconds
// returns: one row per claimed entry: entry {id, recipient_id, channel, address, type,
//          actor_name, subject_id, subject_name, attempts}
// mode: write
MATCH (e:OutboxEntry)
WHERE e.state = 'pending' AND e.next_attempt_at <= datetime()
WITH e ORDER BY e.state, e.next_attempt_at LIMIT $limit
SET e._LOCK_ = true
WITH e WHERE e.state = 'pending' AND e.next_attempt_at <= datetime()
SET e.attempts = e.attempts + 1, e.claim = $claim,
    e.next_attempt_at = datetime() + duration({seconds: $lease_seconds})
REMOVE e._LOCK_
RETURN e {.id, .recipient_id, .channel, .address, .type, .actor_name, .subject_id,
          .subject_name, .attempts} AS entry
