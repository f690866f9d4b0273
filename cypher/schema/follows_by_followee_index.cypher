// Orders a node's FOLLOWS edges by time inside the index, so a keyset page of them is an
// index range seek whose cost is the page, not the node's degree (a producer may have
// a million likers). neomodel cannot declare composite relationship indexes.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX follows_by_followee IF NOT EXISTS
FOR ()-[r:FOLLOWS]-() ON (r.followee_id, r.since)
