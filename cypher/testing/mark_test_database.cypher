// Marks this database as the test suite's own, so the suite refuses to wipe any other.
// params: none. returns: nothing.
// mode: write
MERGE (:BeatgraphTestDatabase {id: 'test'})
