#!/usr/bin/env bash
# Runs the test suite against its own Neo4j and Redis (profile "test": ports 7688/7475/6391,
# data under var/test), then stops them. KEEP_STACK=1 leaves them running for the next run.
# Extra arguments go to pytest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/stack.sh up test
if [ "${KEEP_STACK:-0}" != 1 ]; then trap 'scripts/stack.sh down test' EXIT; fi
eval "$(scripts/stack.sh env test)"
export BEATGRAPH_TESTING=1 BEATGRAPH_ROOT="$root"
.venv/bin/python -m pytest "$@"
