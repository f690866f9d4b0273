// Finds one job's pending ranges by a seek, so finishing a range costs that job's ranges,
// not every job's.
// params: none. returns: nothing.
// mode: schema
CREATE INDEX fanout_range_by_job IF NOT EXISTS
FOR (r:FanoutRange) ON (r.job_id, r.state)
