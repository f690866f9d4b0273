// Test: how many nodes the graph holds, the test marker aside (a refused import adds none).
// params: none
// returns: nodes (count)
// mode: read
MATCH (n) WHERE NOT n:BeatgraphTestDatabase
RETURN count(n) AS nodes
