// Settles a range at the end of its transaction, after count_fanout_told took the job's
// lock: the range is done, and a job with every range cut and none left pending is done,
// its ranges removed (lock_due_fanout_job takes the same lock, so a cut and a finish
// never both miss the job's end).
// params: range_id, job_id
// returns: one row: job_done
// mode: write
MATCH (r:FanoutRange {id: $range_id})
SET r.state = 'done'
WITH r
MATCH (j:FanoutJob {id: $job_id})
CALL (j) {
  WITH j WHERE j.state = 'cut'
    AND NOT EXISTS { MATCH (r:FanoutRange {job_id: j.id}) WHERE r.state = 'pending' }
  SET j.state = 'done'
  WITH j
  MATCH (r:FanoutRange {job_id: j.id}) WHERE r.state IS NOT NULL  // a seek of (job_id, state)
  DETACH DELETE r
}
RETURN j.state = 'done' AS job_done
