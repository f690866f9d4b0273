// Sets the switches named in the request and leaves the others as they were, in one
// statement so two devices saving different switches cannot undo each other.
// params: user_id, touched ['preference.channel' named in the request],
//         off [the touched ones now off]
// returns: one row if the user exists: off [string]
// mode: write
MATCH (u:User {id: $user_id})
SET u.notifications_off =
      [switch IN coalesce(u.notifications_off, []) WHERE NOT switch IN $touched] + $off
RETURN u.notifications_off AS off
