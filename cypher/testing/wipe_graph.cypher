// Deletes every node but the test marker. Only the test suite calls it, after the guard
// in tests/conftest.py has checked that this is the test database.
// returns: nothing.
// mode: write
MATCH (n) WHERE NOT n:BeatgraphTestDatabase
DETACH DELETE n
