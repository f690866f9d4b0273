// The newest dead letters, for staff (also readable in Neo4j Browser:
// MATCH (e:OutboxEntry {state: 'dead'}) RETURN e).
// params: limit
// returns: one row per entry: entry {id, recipient_id, channel, address, type, attempts,
//          last_error, created_at, next_attempt_at}
// mode: read
MATCH (e:OutboxEntry)
WHERE e.state = 'dead'
RETURN e {.id, .recipient_id, .channel, .address, .type, .actor_name, .subject_id,
          .subject_name, .attempts, .last_error, .created_at, .next_attempt_at} AS entry
ORDER BY e.state DESC, e.next_attempt_at DESC
LIMIT $limit
