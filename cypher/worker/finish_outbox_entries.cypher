// Settles entries this worker sent or failed. A sent entry is deleted (its delivery is in
// the worker's log). A failed one is retried after its backoff, or becomes a dead letter
// for staff once it has used its attempts. Entries whose claim was taken over by another
// worker are left alone.
// params: claim, sent [id], failed [{id, error, retry_in_seconds, dead}]
// returns: sent, retried, dead (counts)
// mode: write
CALL () {
  UNWIND $sent AS id
  MATCH (e:OutboxEntry {id: id}) WHERE e.claim = $claim
  DELETE e
  RETURN count(e) AS sent
}
CALL () {
  UNWIND $failed AS failure
  MATCH (e:OutboxEntry {id: failure.id}) WHERE e.claim = $claim
  SET e.last_error = failure.error, e.claim = null,
      e.state = CASE WHEN failure.dead THEN 'dead' ELSE 'pending' END,
      e.next_attempt_at = datetime() + duration({seconds: failure.retry_in_seconds})
  RETURN sum(CASE WHEN failure.dead THEN 0 ELSE 1 END) AS retried,
         sum(CASE WHEN failure.dead THEN 1 ELSE 0 END) AS dead
}
RETURN sent, retried, dead
