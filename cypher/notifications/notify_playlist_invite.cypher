// The BeatPass back end invites a user to a playlist. Nothing is produced across a block
// or for channels the invitee turned off; email and push become outbox entries.
// params: to_user_id, from_user_id, playlist_id, playlist_name
// returns: to_exists, from_exists, blocked, notification (map or null), unread_count
// mode: write
OPTIONAL MATCH (to:User {id: $to_user_id})
OPTIONAL MATCH (from:User {id: $from_user_id})
WITH to, from, to IS NOT NULL AND from IS NOT NULL AND EXISTS { (to)-[:BLOCKS]-(from) } AS blocked
OPTIONAL CALL (to, from, blocked) {
  WITH to, from WHERE to IS NOT NULL AND from IS NOT NULL AND NOT blocked
  CALL (to, from) {
    UNWIND ['email', 'push'] AS channel
    WITH to, from, channel
    WHERE NOT ('playlist_invites.' + channel) IN coalesce(to.notifications_off, [])
      AND (channel = 'push' OR to.email IS NOT NULL)
    CREATE (:OutboxEntry {id: randomUUID(), recipient_id: to.id, channel: channel,
      address: CASE channel WHEN 'email' THEN to.email END, type: 'playlist_invite',
      actor_name: from.display_name, subject_id: $playlist_id, subject_name: $playlist_name,
      attempts: 0, state: 'pending', next_attempt_at: datetime.statement(),
      created_at: datetime.statement()})
  }
  WITH to, from WHERE NOT 'playlist_invites.in_app' IN coalesce(to.notifications_off, [])
  CREATE (to)-[:HAS_NOTIFICATION]->(n:Notification {id: randomUUID(), type: 'playlist_invite',
    recipient_id: to.id, actor_id: from.id, playlist_id: $playlist_id,
    playlist_name: $playlist_name, created_at: datetime.statement(), read: false})
    -[:ABOUT]->(from)
  CREATE (to)-[:UNREAD]->(n)
  RETURN n {.id, .type, .created_at, .read, .playlist_id, .playlist_name,
            actor: from {.id, .username, .display_name, .avatar_url}} AS notification
}
RETURN to IS NOT NULL AS to_exists, from IS NOT NULL AS from_exists, blocked, notification,
       CASE WHEN to IS NULL THEN 0 ELSE COUNT { (to)-[:UNREAD]->() } END AS unread_count
