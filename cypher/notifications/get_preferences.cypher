// The switches a user has turned off, as 'preference.channel' strings; everything else is on.
// params: user_id
// returns: one row if the user exists: off [string]
// mode: read
MATCH (u:User {id: $user_id})
RETURN coalesce(u.notifications_off, []) AS off
