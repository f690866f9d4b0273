// Tells likers of a producer about its upload: a `new_upload` notification for those with
// New Uploads in-app on, and the outbox entries of every one told (returned for
// queue_outbox_entries, run next in the same transaction). A liker in a block with the
// account that claims the page hears nothing of it, even through a like that outlived the
// block (a seek of the pair's BLOCKS key per liker). Each notification carries
// `upload_key` ("<beat>><user>", unique): a liker who already has it — told by the
// online-first step — is passed over, and two workers racing to tell one liker cannot
// both commit (the loser's retry passes them over).
// params: producer_id, beat_id, user_ids, preference
// returns: zero rows if the beat is gone; else created [{user_id, id, unread_count}],
//          created_at (theirs, all one: returned once, since the driver takes ~0.1 ms to
//          decode each datetime), outbox [{recipient_id, actor_name, subject_id,
//          subject_name}], beat {id, title}, producer {id, slug, name}
// mode: write
MATCH (p:Producer {id: $producer_id})-[:UPLOADED]->(b:Beat {id: $beat_id})
OPTIONAL MATCH (p)-[:CLAIMED_BY]->(owner:User)
CALL (p, b, owner) {
  UNWIND $user_ids AS user_id
  MATCH (u:User {id: user_id})
  WHERE NOT EXISTS { MATCH (:Notification {upload_key: b.id + '>' + u.id}) }
    AND (owner IS NULL OR NOT EXISTS {
      MATCH ()-[block:BLOCKS]->() USING INDEX SEEK block:BLOCKS(key)
      WHERE block.key IN [u.id + '>' + owner.id, owner.id + '>' + u.id]
    })
  RETURN collect(u) AS told
}
CALL (p, b, told) {
  UNWIND told AS u
  WITH p, b, u
  WHERE NOT ($preference + '.in_app') IN coalesce(u.notifications_off, [])
  CREATE (u)-[:HAS_NOTIFICATION]->(n:Notification {id: randomUUID(), type: 'new_upload',
    recipient_id: u.id, actor_id: p.id, upload_key: b.id + '>' + u.id,
    created_at: datetime.statement(), read: false})-[:ABOUT]->(b)
  CREATE (u)-[:UNREAD]->(n)
  RETURN collect({user_id: u.id, id: n.id,
                  unread_count: COUNT { (u)-[:UNREAD]->() }}) AS created
}
RETURN created, datetime.statement() AS created_at,
       [u IN told | {recipient_id: u.id, actor_name: p.name, subject_id: b.id,
                     subject_name: b.title}] AS outbox,
       b {.id, .title} AS beat, p {.id, .slug, .name} AS producer
