// Takes over the oldest range whose worker let its lease run out (it crashed or hung):
// locked and re-checked before the claim, so two workers never take the same one.
// params: claim, lease_seconds
// returns: zero or one row: range {id, job_id, likers}
// mode: write
MATCH (r:FanoutRange)
WHERE r.state = 'pending' AND r.next_attempt_at <= datetime()
WITH r ORDER BY r.state, r.next_attempt_at LIMIT 1
SET r._LOCK_ = true
WITH r WHERE r.state = 'pending' AND r.next_attempt_at <= datetime()
SET r.claim = $claim, r.next_attempt_at = datetime() + duration({seconds: $lease_seconds})
REMOVE r._LOCK_
RETURN r {.id, .job_id, .likers} AS range
