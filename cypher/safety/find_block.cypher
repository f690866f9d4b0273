// Whether a block stands between two users, either way: a seek of the pair's BLOCKS key in
// each direction, so it costs the same whatever either user's blocks (typing, per frame).
// params: user_id, other_id
// returns: one row: blocked
// mode: read
OPTIONAL MATCH ()-[block:BLOCKS]->() USING INDEX SEEK block:BLOCKS(key)
WHERE block.key IN [$user_id + '>' + $other_id, $other_id + '>' + $user_id]
RETURN count(block) > 0 AS blocked
