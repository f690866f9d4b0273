// Bulk import into a running database: which of $values it already holds, as $kind says
// (only the branch of that kind gets values; each is a unique-index seek per value).
// params: kind (user_id, username_key, producer_id, conversation_id, pair_key,
//         follows_key, likes_key), values (list of strings)
// returns: value per one found
// mode: read
UNWIND CASE $kind WHEN 'user_id' THEN $values ELSE [] END AS value
MATCH (:User {id: value})
RETURN value
UNION ALL
UNWIND CASE $kind WHEN 'username_key' THEN $values ELSE [] END AS value
MATCH (:User {username_key: value})
RETURN value
UNION ALL
UNWIND CASE $kind WHEN 'producer_id' THEN $values ELSE [] END AS value
MATCH (:Producer {id: value})
RETURN value
UNION ALL
UNWIND CASE $kind WHEN 'conversation_id' THEN $values ELSE [] END AS value
MATCH (:Conversation {id: value})
RETURN value
UNION ALL
UNWIND CASE $kind WHEN 'pair_key' THEN $values ELSE [] END AS value
MATCH (:Conversation {pair_key: value})
RETURN value
UNION ALL
UNWIND CASE $kind WHEN 'follows_key' THEN $values ELSE [] END AS value
MATCH ()-[:FOLLOWS {key: value}]->()
RETURN value
UNION ALL
UNWIND CASE $kind WHEN 'likes_key' THEN $values ELSE [] END AS value
MATCH ()-[:LIKES {key: value}]->()
RETURN value
