// Orders each user's notifications by time inside the index, so a bell page is a range
// seek whose cost is the page, not the user's whole notification history.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX notification_by_recipient IF NOT EXISTS
FOR (n:Notification) ON (n.recipient_id, n.created_at)
