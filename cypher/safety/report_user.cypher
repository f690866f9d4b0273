// Files a report against a user, for staff to investigate in Neo4j Browser:
// MATCH (r:Report)-[:AGAINST]->(u) ... (see docs/operations.md).
// params: reporter_id, reported_id, report_id, reason, details (or null)
// returns: no row if either user is missing; else report {id, reason, details, created_at}
// mode: write
MATCH (reporter:User {id: $reporter_id}), (reported:User {id: $reported_id})
CREATE (reporter)-[:FILED]->(r:Report {id: $report_id, reason: $reason, details: $details,
                                       created_at: datetime.statement()})-[:AGAINST]->(reported)
RETURN r {.id, .reason, .details, .created_at, reported_user_id: reported.id} AS report
