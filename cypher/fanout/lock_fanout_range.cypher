// Locks a range this worker claimed and re-checks the claim (a worker whose lease ran out
// and was taken over finds nothing and drops the range). Start of the range's transaction.
// params: range_id, claim
// returns: zero or one row: range {producer_id, beat_id, upload_at, from_since, to_since
//          (ISO text, as lock_due_fanout_job explains), from_user_id, to_user_id}
// mode: write
MATCH (r:FanoutRange {id: $range_id})
SET r._LOCK_ = true
WITH r WHERE r.claim = $claim AND r.state = 'pending'
REMOVE r._LOCK_
RETURN r {.producer_id, .beat_id, .from_user_id, .to_user_id,
          upload_at: toString(r.upload_at), from_since: toString(r.from_since),
          to_since: toString(r.to_since)} AS range
