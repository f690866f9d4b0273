// Claims the oldest due upload fan-out for one worker. The claim pushes next_attempt_at
// forward by the lease, so a job whose worker dies becomes due again by itself. The job
// is locked and re-checked before the claim, so two workers never take the same one.
// params: claim (this worker's token), lease_seconds
// returns: zero or one row: job {id, beat_id, producer_id, upload_at, after_since (both as
//          the stored ISO text, `…Z`, never a driver datetime: see fan_out_upload_batch),
//          after_user_id, early (the online likers told so far), early_done}
// mode: write
MATCH (j:FanoutJob)
WHERE j.state = 'pending' AND j.next_attempt_at <= datetime()
WITH j ORDER BY j.state, j.next_attempt_at LIMIT 1
SET j._LOCK_ = true
WITH j WHERE j.state = 'pending' AND j.next_attempt_at <= datetime()
SET j.next_attempt_at = datetime() + duration({seconds: $lease_seconds}), j.claim = $claim
REMOVE j._LOCK_
RETURN j {.id, .beat_id, .producer_id, .after_user_id, .early,
          upload_at: toString(j.upload_at), after_since: toString(j.after_since),
          early_done: coalesce(j.early_done, false)} AS job
