// Orders a node's LIKES edges by time inside the index, so a keyset page of them is an
// index range seek whose cost is the page, not the node's degree (a producer may have
// a million likers). neomodel cannot declare composite relationship indexes.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX likes_by_producer IF NOT EXISTS
FOR ()-[r:LIKES]-() ON (r.producer_id, r.since)
