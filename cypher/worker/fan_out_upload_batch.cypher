// Notifies the next batch of a producer's likers about an upload, in (since, user_id)
// order from the job's cursor, and moves the cursor in the same transaction: a crash
// between batches neither skips nor repeats anyone. Only people who liked the producer
// before the upload are told. In-app notifications are created for likers with New
// Uploads in-app on; email and push become outbox entries. The batch is read from the
// (producer_id, since) index, so its cost is the batch, not the producer's million likers.
// params: job_id, claim, producer_id, beat_id, upload_at, after_since, after_user_id,
//         batch_size, lease_seconds
// returns: zero rows if the claim was lost; else created [{user_id, id, created_at,
//          unread_count}], done, beat {id, title}, producer {id, slug, name}
// mode: write
MATCH (j:FanoutJob {id: $job_id}) WHERE j.claim = $claim
MATCH (p:Producer {id: $producer_id})-[:UPLOADED]->(b:Beat {id: $beat_id})
CALL () {
  MATCH (u:User)-[l:LIKES]->()
  WHERE l.producer_id = $producer_id AND l.since >= $after_since AND l.since <= $upload_at
  WITH u, l WHERE l.since > $after_since OR l.user_id > $after_user_id
  ORDER BY l.producer_id, l.since, l.user_id
  LIMIT $batch_size
  RETURN collect({user: u, since: l.since}) AS likers
}
CALL (p, b, likers) {
  UNWIND likers AS liker
  WITH p, b, liker.user AS u
  UNWIND ['email', 'push'] AS channel
  WITH p, b, u, channel
  WHERE NOT ('new_uploads.' + channel) IN coalesce(u.notifications_off, [])
    AND (channel = 'push' OR u.email IS NOT NULL)
  CREATE (:OutboxEntry {id: randomUUID(), recipient_id: u.id, channel: channel,
    address: CASE channel WHEN 'email' THEN u.email END, type: 'new_upload',
    actor_name: p.name, subject_id: b.id, subject_name: b.title,
    attempts: 0, state: 'pending', next_attempt_at: datetime.statement(),
    created_at: datetime.statement()})
}
CALL (p, b, likers) {
  UNWIND likers AS liker
  WITH p, b, liker.user AS u
  WHERE NOT 'new_uploads.in_app' IN coalesce(u.notifications_off, [])
  CREATE (u)-[:HAS_NOTIFICATION]->(n:Notification {id: randomUUID(), type: 'new_upload',
    recipient_id: u.id, actor_id: p.id, created_at: datetime.statement(), read: false})
    -[:ABOUT]->(b)
  CREATE (u)-[:UNREAD]->(n)
  RETURN collect({user_id: u.id, id: n.id, created_at: n.created_at,
                  unread_count: COUNT { (u)-[:UNREAD]->() }}) AS created
}
WITH j, p, b, likers, created, last(likers) AS last
SET j.after_since = coalesce(last.since, j.after_since),
    j.after_user_id = coalesce(last.user.id, j.after_user_id),
    j.notified = j.notified + size(created),
    j.state = CASE WHEN size(likers) < $batch_size THEN 'done' ELSE 'pending' END,
    j.next_attempt_at = datetime() + duration({seconds: $lease_seconds})
RETURN created, size(likers) < $batch_size AS done, j.after_since AS after_since,
       j.after_user_id AS after_user_id, b {.id, .title} AS beat, p {.id, .slug, .name} AS producer
