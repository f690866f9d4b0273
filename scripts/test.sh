#!/usr/bin/env bash
# Runs the test suite against its own Neo4j and Redis (profile "test": ports 7688/7475/6391,
# data under var/test), then stops them. KEEP_STACK=1 leaves them running for the next run.
# Extra arguments go to pytest.
#
# The whole suite (no arguments) then runs again in part on a Redis Cluster: the realtime
# and notification suites and the failover test, against the local 3-master, 3-replica
# cluster of scripts/redis_cluster.sh (stopped afterwards unless KEEP_STACK=1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cluster_pass=$([ $# -eq 0 ] && echo 1 || echo "${BEATGRAPH_CLUSTER_PASS:-0}")
scripts/stack.sh up test
if [ "${KEEP_STACK:-0}" != 1 ]; then
  trap 'scripts/stack.sh down test; [ "$cluster_pass" != 1 ] || scripts/stack.sh down cluster' EXIT
fi
eval "$(scripts/stack.sh env test)"
export BEATGRAPH_TESTING=1 BEATGRAPH_ROOT="$root"
.venv/bin/python -m pytest "$@"
if [ "$cluster_pass" = 1 ]; then
  echo "test: the realtime and notification suites on a Redis Cluster" >&2
  scripts/stack.sh up cluster
  eval "$(scripts/stack.sh env cluster)"
  .venv/bin/python -m pytest -q tests/test_realtime.py tests/test_notifications_live.py \
    tests/test_redis_cluster.py
fi
