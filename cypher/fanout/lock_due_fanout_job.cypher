// Takes the oldest upload fan-out that still has likers to hand out, locked for the rest
// of the transaction, and re-checked after the lock, state and due time both: two workers
// cutting at once take turns and never cut the same likers, and one that waited while the
// other took the online-first step (which moves the job's due time) cuts nothing.
// The cursor and the upload time travel as the stored ISO
// text (`toString`, `…Z`), never as driver datetimes: those come back zoned `…Z[UTC]`,
// which does not compare equal to the stored `…Z`, and likes sharing the cursor's instant
// would be skipped.
// params: none
// returns: zero or one row: job {id, producer_id, beat_id, upload_at, after_since,
//          after_user_id}
// mode: write
MATCH (j:FanoutJob)
WHERE j.state = 'pending' AND j.next_attempt_at <= datetime()
WITH j ORDER BY j.state, j.next_attempt_at LIMIT 1
SET j._LOCK_ = true
WITH j WHERE j.state = 'pending' AND j.next_attempt_at <= datetime()
REMOVE j._LOCK_
RETURN j {.id, .producer_id, .beat_id, .after_user_id,
          upload_at: toString(j.upload_at), after_since: toString(j.after_since)} AS job
