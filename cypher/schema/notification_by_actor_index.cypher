// Finds the notifications one user got from another (or from a page they claim) by a
// seek, so a block removes them at the cost of what it removes, not of the recipient's
// whole notification history.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX notification_by_actor IF NOT EXISTS
FOR (n:Notification) ON (n.recipient_id, n.actor_id)
