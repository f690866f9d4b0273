// The BeatPass back end invites a user to a playlist. Nothing is produced across a block
// or in-app when the invitee turned it off; email and push are queued by
// queue_outbox_entries from `outbox`, in the same transaction.
// params: to_user_id, from_user_id, playlist_id, playlist_name
// returns: to_exists, from_exists, blocked, notification (map or null), unread_count,
//          outbox (the invite's outbox rows: none across a block, else one)
// mode: write
OPTIONAL MATCH (to:User {id: $to_user_id})
OPTIONAL MATCH (from:User {id: $from_user_id})
WITH to, from, to IS NOT NULL AND from IS NOT NULL AND EXISTS { (to)-[:BLOCKS]-(from) } AS blocked
OPTIONAL CALL (to, from, blocked) {
  WITH to, from WHERE to IS NOT NULL AND from IS NOT NULL AND NOT blocked
  OPTIONAL CALL (to, from) {
    WITH to, from WHERE NOT 'playlist_invites.in_app' IN coalesce(to.notifications_off, [])
    CREATE (to)-[:HAS_NOTIFICATION]->(n:Notification {id: randomUUID(),
      type: 'playlist_invite', recipient_id: to.id, actor_id: from.id,
      playlist_id: $playlist_id, playlist_name: $playlist_name,
      created_at: datetime.statement(), read: false})
      -[:ABOUT]->(from)
    CREATE (to)-[:UNREAD]->(n)
    RETURN n {.id, .type, .created_at, .read, .playlist_id, .playlist_name,
              actor: from {.id, .username, .display_name, .avatar_url}} AS notification
  }
  RETURN notification, {recipient_id: to.id, actor_name: from.display_name,
                        subject_id: $playlist_id, subject_name: $playlist_name} AS outbox
}
RETURN to IS NOT NULL AS to_exists, from IS NOT NULL AS from_exists, blocked, notification,
       CASE WHEN outbox IS NULL THEN [] ELSE [outbox] END AS outbox,
       CASE WHEN to IS NULL THEN 0 ELSE COUNT { (to)-[:UNREAD]->() } END AS unread_count
