// Makes $follower_id follow $followee_id unless either blocks the other. Only the pair is
// locked, never the followee, so a popular user's new followers do not queue behind each
// other: the edge is looked up and created by its unique key (no relationship MERGE,
// whose LockingMerge locks both users until commit); racing identical follows meet on the
// key's uniqueness constraint and the loser's retry finds the edge.
// A new follow notifies the followee, at most once per pair per 24 hours: a FollowNotice
// node keyed by the pair remembers when this follower was last announced, so an unfollow
// and refollow inside the window stays quiet. In-app switched off makes no notification;
// email and push are queued by queue_outbox_entries from `outbox`, in the same transaction.
// params: follower_id, followee_id
// returns: follower_exists, followee_exists, blocked, following, created, followers_count,
//          notification (map or null), unread_count (the followee's unread notifications),
//          outbox (the announcement's outbox rows: none, or one)
// mode: write
OPTIONAL MATCH (a:User {id: $follower_id})
OPTIONAL MATCH (b:User {id: $followee_id})
WITH a, b, a IS NOT NULL AND b IS NOT NULL AND EXISTS { (a)-[:BLOCKS]-(b) } AS blocked
OPTIONAL CALL (a, b, blocked) {
  WITH a, b, blocked
  WHERE a IS NOT NULL AND b IS NOT NULL AND NOT blocked
  OPTIONAL MATCH ()-[existing:FOLLOWS]->() USING INDEX SEEK existing:FOLLOWS(key)
  WHERE existing.key = a.id + '>' + b.id
  CALL (a, b, existing) {
    WITH a, b WHERE existing IS NULL
    CREATE (a)-[:FOLLOWS {key: a.id + '>' + b.id, since: datetime.statement(),
                          follower_id: a.id, followee_id: b.id}]->(b)
  }
  RETURN existing IS NULL AS created
}
OPTIONAL CALL (a, b, created) {
  WITH a, b WHERE created
  MERGE (notice:FollowNotice {key: a.id + '>' + b.id})
  WITH a, b, notice
  WHERE notice.at IS NULL OR notice.at <= datetime.statement() - duration('PT24H')
  SET notice.at = datetime.statement()
  WITH a, b
  OPTIONAL CALL (a, b) {
    WITH a, b WHERE NOT 'new_follower.in_app' IN coalesce(b.notifications_off, [])
    CREATE (b)-[:HAS_NOTIFICATION]->(n:Notification {id: randomUUID(), type: 'new_follower',
      recipient_id: b.id, actor_id: a.id, created_at: datetime.statement(), read: false})
      -[:ABOUT]->(a)
    CREATE (b)-[:UNREAD]->(n)
    RETURN n {.id, .type, .created_at, .read,
              actor: a {.id, .username, .display_name, .avatar_url}} AS notification
  }
  RETURN notification, {recipient_id: b.id, actor_name: a.display_name, subject_id: a.id,
                        subject_name: a.username} AS outbox
}
RETURN a IS NOT NULL AS follower_exists, b IS NOT NULL AS followee_exists, blocked,
       coalesce(created IS NOT NULL, false) AS following, coalesce(created, false) AS created,
       CASE WHEN b IS NULL THEN 0 ELSE COUNT { (b)<-[:FOLLOWS]-() } END AS followers_count,
       notification, CASE WHEN outbox IS NULL THEN [] ELSE [outbox] END AS outbox,
       CASE WHEN b IS NULL THEN 0 ELSE COUNT { (b)-[:UNREAD]->() } END AS unread_count
