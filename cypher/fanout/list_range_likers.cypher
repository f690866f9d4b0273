// The likers in one range: likes of the producer after (from_since, from_user_id) up to and
// including (to_since, to_user_id), made before the upload; an index range seek whose cost
// is the range, whatever the producer's size.
// params: producer_id, upload_at, from_since, to_since (ISO text), from_user_id, to_user_id
// returns: one row: user_ids (in like order)
// mode: read
MATCH ()-[l:LIKES]->()
USING INDEX SEEK l:LIKES(producer_id, since)
WHERE l.producer_id = $producer_id
  AND l.since >= datetime($from_since) AND l.since <= datetime($to_since)
  AND l.since <= datetime($upload_at)
WITH l WHERE CASE WHEN l.since = datetime($from_since) THEN l.user_id > $from_user_id
                  ELSE true END
  AND CASE WHEN l.since = datetime($to_since) THEN l.user_id <= $to_user_id ELSE true END
WITH l ORDER BY l.producer_id, l.since, l.user_id
RETURN collect(l.user_id) AS user_ids
