// Removes the follow of $follower_id on $followee_id, if there is one (idempotent).
// params: follower_id, followee_id
// returns: followee_exists, followers_count (after the change); no row if the followee
//          does not exist
// mode: write
MATCH (b:User {id: $followee_id})
OPTIONAL MATCH (:User {id: $follower_id})-[f:FOLLOWS]->(b)
DELETE f
RETURN COUNT { (b)<-[:FOLLOWS]-() } AS followers_count
