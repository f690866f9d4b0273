// Readiness: the database answers a trivial statement.
// returns: ok (1).
// mode: read
RETURN 1 AS ok
