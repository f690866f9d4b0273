// Lets a worker find a fan-out range whose lease ran out (state, then time) without
// scanning the finished ones.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX fanout_range_due IF NOT EXISTS
FOR (r:FanoutRange) ON (r.state, r.next_attempt_at)
