// Cuts the job's next range of likers off its cursor (run in the transaction of
// lock_due_fanout_job, which holds the job's lock): the next $batch_size likes of the
// producer in (since, user_id) order after the cursor, among those made before the upload.
// The range is leased to this worker; the cursor moves past it. A short range is the
// last: the job is then "cut", and "done" at once if nothing is left to tell (its
// ranges removed). The walk is
// a seek of the (producer_id, since) index (`USING INDEX SEEK`: left to itself the planner
// may scan every like), so a cut costs the batch, not the producer's million likers.
// The first cut of a job also gives this worker the job's online-first step: the job is
// not due to the other workers for $online_seconds (or until end_online_step), so they
// do not compete with it for the few seconds in which the online likers are told.
// params: job_id, claim, producer_id, upload_at, after_since (ISO text), after_user_id,
//         batch_size, lease_seconds, online_seconds
// returns: one row: range {id, job_id, likers} (null when the job had no likers left),
//          online_first (this worker takes the job's online-first step)
// mode: write
CALL () {
  MATCH ()-[l:LIKES]->()
  USING INDEX SEEK l:LIKES(producer_id, since)
  WHERE l.producer_id = $producer_id
    AND l.since >= datetime($after_since) AND l.since <= datetime($upload_at)
  // The tie-break is a CASE, not an OR: an OR lets the planner split the seek in two and
  // sort both halves, every like of the producer, to merge them.
  WITH l WHERE CASE WHEN l.since = datetime($after_since) THEN l.user_id > $after_user_id
                    ELSE true END
  WITH l ORDER BY l.producer_id, l.since, l.user_id
  LIMIT $batch_size
  RETURN count(l) AS likers, collect(l)[-1] AS last
}
MATCH (j:FanoutJob {id: $job_id})
WITH j, likers, last, NOT coalesce(j.online_taken, false) AS online_first,
     NOT EXISTS { MATCH (r:FanoutRange {job_id: $job_id}) WHERE r.state = 'pending' } AS idle
CALL (j, likers, last) {
  WITH j, likers, last WHERE likers > 0
  CREATE (r:FanoutRange {id: randomUUID(), job_id: j.id, producer_id: j.producer_id,
    beat_id: j.beat_id, upload_at: j.upload_at, from_since: j.after_since,
    from_user_id: j.after_user_id, to_since: last.since, to_user_id: last.user_id,
    likers: likers, state: 'pending', claim: $claim,
    next_attempt_at: datetime() + duration({seconds: $lease_seconds}),
    created_at: datetime.statement()})
  RETURN r {.id, .job_id, .likers} AS range
  UNION
  WITH likers WHERE likers = 0
  RETURN null AS range
}
SET j.online_taken = true,
    j.next_attempt_at = CASE WHEN online_first
                             THEN datetime() + duration({seconds: $online_seconds})
                             ELSE j.next_attempt_at END,
    j.after_since = coalesce(last.since, j.after_since),
    j.after_user_id = coalesce(last.user_id, j.after_user_id),
    j.state = CASE WHEN likers = $batch_size THEN 'pending'
                   WHEN likers = 0 AND idle THEN 'done'
                   ELSE 'cut' END
WITH j, range, online_first
CALL (j) {  // a job whose last range was finished before this empty cut: its ranges go
  WITH j WHERE j.state = 'done'
  MATCH (r:FanoutRange {job_id: j.id}) WHERE r.state IS NOT NULL  // a seek of (job_id, state)
  DETACH DELETE r
}
RETURN range, online_first
