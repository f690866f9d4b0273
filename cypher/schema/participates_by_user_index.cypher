// Orders a user's memberships by last activity inside the index, so a page of the recent
// conversation list is an index range seek whose cost is the page, not the user's
// conversations. A hidden membership has no listed_at, so the index leaves it out.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX participates_by_user IF NOT EXISTS
FOR ()-[r:PARTICIPATES]-() ON (r.user_id, r.listed_at)
