// Adds the likers one transaction told to its job's count (the online-first step and each
// range). It takes the job's lock, so a range's transaction runs it last, with
// finish_fanout_range: range transactions of one job overlap in all their work and take
// turns only for these two statements.
// params: job_id, told
// returns: nothing
// mode: write
MATCH (j:FanoutJob {id: $job_id})
SET j.notified = j.notified + $told
