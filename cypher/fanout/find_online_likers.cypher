// Which of the users online now liked the producer before the upload and see New Uploads
// in the bell: the ones worth telling first (each checked by its LIKES edge's unique key,
// so the cost is the online users asked about, whatever the producer's size). Those with
// the bell switched off hear by email or push with everyone else.
// params: online_ids, producer_id, upload_at (ISO text), preference
// returns: one row: user_ids
// mode: read
// The seek is hinted: left to itself the planner sometimes scans every LIKES edge per
// online user (seen as 20,251 db hits for ten users of a 2,000-liker producer, 251 with
// the seek), which at a million likers is a million per user.
UNWIND $online_ids AS online_id
MATCH (u:User)-[l:LIKES]->()
USING INDEX SEEK l:LIKES(key)
WHERE l.key = online_id + '>' + $producer_id
  AND l.since <= datetime($upload_at)
  AND NOT ($preference + '.in_app') IN coalesce(u.notifications_off, [])
RETURN collect(u.id) AS user_ids
