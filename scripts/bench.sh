#!/usr/bin/env bash
# Runs bench/<name>_bench.py against the bench stack (its own ports and var/bench data,
# kept between runs so a built graph is reused), then stops the stack. KEEP_STACK=1 leaves
# it running, so that the next run measures a warm Neo4j rather than one just started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
name=${1:?usage: bench.sh <name> (social, messaging, ...)}
export NEO4J_HEAP=${NEO4J_HEAP:-4g} NEO4J_PAGECACHE=${NEO4J_PAGECACHE:-4g}
# Stack messages go to stderr: a benchmark's stdout holds only its figures.
scripts/stack.sh up bench >&2
if [ "${KEEP_STACK:-0}" != 1 ]; then
  trap 'scripts/stack.sh down bench >&2' EXIT
fi
eval "$(scripts/stack.sh env bench)"
.venv/bin/python -m "bench.${name}_bench"
