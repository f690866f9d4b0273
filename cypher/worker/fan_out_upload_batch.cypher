// Notifies a batch of a producer's likers about an upload. The first batches are the
// likers who are online right now ($online_ids, a chunk of the online users checked
// against their LIKES edge by its unique key), so they hear within a second whatever the
// producer's size; the job remembers them (`early`) and whether the online users are all
// done (`early_done`). Every later batch walks the likers in (since, user_id) order from the
// job's cursor, skipping the early ones, and moves the cursor in the same transaction: a
// crash between batches neither skips nor repeats anyone. The cursor and the upload time
// travel as the stored ISO text (`toString`, `…Z`) and are parsed here: a datetime that
// went through the driver comes back zoned `…Z[UTC]`, which does not compare equal to the
// stored `…Z`, and the likes sharing the cursor's instant would be skipped. (Reading them
// from the job node here instead lets the planner scan every like.) Only people who liked
// the producer before the upload, and are in no block with the account that claims it,
// are told. In-app notifications are created for likers with New Uploads in-app on; email
// and push become outbox entries. The batch is a seek of the (producer_id, since) index
// (`USING INDEX SEEK`: left to itself the planner may scan every user or every like), so
// its cost is the batch, not the producer's million likers.
// params: job_id, claim, producer_id, beat_id, upload_at and after_since (ISO text, as
//         claim_fanout_job returns them), after_user_id, batch_size, lease_seconds,
//         online_ids (a chunk of online users while the early phase lasts, else null),
//         early_done (this is the last online chunk), early (the job's early likers so far)
// returns: zero rows if the claim was lost; else created [{user_id, id, created_at,
//          unread_count}], done, early, early_done, after_since (ISO text), after_user_id,
//          beat {id, title}, producer {id, slug, name}
// mode: write
MATCH (j:FanoutJob {id: $job_id}) WHERE j.claim = $claim
MATCH (p:Producer {id: $producer_id})-[:UPLOADED]->(b:Beat {id: $beat_id})
CALL () {
 CALL () {
  UNWIND CASE WHEN $online_ids IS NULL THEN [] ELSE $online_ids END AS online_id
  MATCH (u:User)-[l:LIKES {key: online_id + '>' + $producer_id}]->()
  WHERE l.since <= datetime($upload_at)
  RETURN u, l
  UNION
  MATCH (u:User)-[l:LIKES]->()
  USING INDEX SEEK l:LIKES(producer_id, since)
  WHERE $online_ids IS NULL AND l.producer_id = $producer_id
    AND l.since >= datetime($after_since) AND l.since <= datetime($upload_at)
  // The tie-break is a CASE, not an OR: an OR lets the planner split the seek in two and
  // sort both halves, every like of the producer, to merge them.
  WITH u, l WHERE CASE WHEN l.since = datetime($after_since) THEN l.user_id > $after_user_id
                       ELSE true END
    AND NOT l.user_id IN $early
  ORDER BY l.producer_id, l.since, l.user_id
  LIMIT CASE WHEN $online_ids IS NULL THEN $batch_size ELSE 0 END
  RETURN u, l
 }
 RETURN collect({user: u, since: l.since}) AS likers
}
// A liker in a block with the account that claims the page hears nothing of it, even
// through a like that outlived the block (a seek of the pair's BLOCKS key per liker).
CALL (p, likers) {
  OPTIONAL MATCH (p)-[:CLAIMED_BY]->(owner:User)
  UNWIND likers AS liker
  WITH owner, liker.user AS u
  WHERE owner IS NULL OR NOT EXISTS {
    MATCH ()-[block:BLOCKS]->()
    WHERE block.key IN [u.id + '>' + owner.id, owner.id + '>' + u.id]
  }
  RETURN collect(u) AS told
}
CALL (p, b, told) {
  UNWIND told AS u
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
CALL (p, b, told) {
  UNWIND told AS u
  WITH p, b, u
  WHERE NOT 'new_uploads.in_app' IN coalesce(u.notifications_off, [])
  CREATE (u)-[:HAS_NOTIFICATION]->(n:Notification {id: randomUUID(), type: 'new_upload',
    recipient_id: u.id, actor_id: p.id, created_at: datetime.statement(), read: false})
    -[:ABOUT]->(b)
  CREATE (u)-[:UNREAD]->(n)
  RETURN collect({user_id: u.id, id: n.id, created_at: n.created_at,
                  unread_count: COUNT { (u)-[:UNREAD]->() }}) AS created
}
// The cursor moves to the greatest (since, user_id) served, whatever order collect kept.
WITH j, p, b, likers, created, $online_ids IS NOT NULL AS early_batch,
     reduce(top = null, liker IN likers |
       CASE WHEN top IS NULL OR liker.since > top.since
                 OR (liker.since = top.since AND liker.user.id > top.user.id)
            THEN liker ELSE top END) AS last
SET j.early = CASE WHEN early_batch
                   THEN coalesce(j.early, []) + [liker IN likers | liker.user.id]
                   ELSE j.early END,
    j.early_done = CASE WHEN early_batch THEN $early_done ELSE j.early_done END,
    j.after_since = CASE WHEN early_batch THEN j.after_since
                         ELSE coalesce(last.since, j.after_since) END,
    j.after_user_id = CASE WHEN early_batch THEN j.after_user_id
                           ELSE coalesce(last.user.id, j.after_user_id) END,
    j.notified = j.notified + size(created),
    j.state = CASE WHEN NOT early_batch AND size(likers) < $batch_size THEN 'done'
                   ELSE 'pending' END,
    j.next_attempt_at = datetime() + duration({seconds: $lease_seconds})
RETURN created, j.state = 'done' AS done, j.early AS early, j.early_done AS early_done,
       toString(j.after_since) AS after_since, j.after_user_id AS after_user_id,
       b {.id, .title} AS beat, p {.id, .slug, .name} AS producer
