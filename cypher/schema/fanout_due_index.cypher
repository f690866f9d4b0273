// Lets the worker find upload fan-outs that are due (state, then time) without scanning
// finished ones.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX fanout_due IF NOT EXISTS
FOR (j:FanoutJob) ON (j.state, j.next_attempt_at)
