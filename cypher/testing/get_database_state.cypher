// Whether the database holds data and is not marked as the test database (wipe guard).
// returns: has_data (boolean), is_test (boolean).
// mode: read
RETURN EXISTS { MATCH (n) WHERE NOT n:BeatgraphTestDatabase } AS has_data,
       EXISTS { MATCH (:BeatgraphTestDatabase) } AS is_test
