// Ends a job's online-first step: its remaining ranges are due to every worker again.
// params: job_id
// returns: nothing
// mode: write
MATCH (j:FanoutJob {id: $job_id})
SET j.next_attempt_at = datetime()
