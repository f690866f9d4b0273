#!/usr/bin/env bash
# Screenshots of the web client's main screens on the demo graph into docs/img/web-*.png
# (scripts/screenshots.py), on the test stack: its database is wiped first, as tests do.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/stack.sh up test
if [ "${KEEP_STACK:-0}" != 1 ]; then trap 'scripts/stack.sh down test' EXIT; fi
eval "$(scripts/stack.sh env test)"
export BEATGRAPH_ROOT="$root"
PYTHONPATH="$root" .venv/bin/python scripts/screenshots.py
