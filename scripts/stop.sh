#!/usr/bin/env bash
# Stops what `make run` started: gunicorn, then Neo4j and Redis, each by its PID file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pidfile=var/run/gunicorn.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  pid=$(cat "$pidfile")
  echo "stop: stopping gunicorn (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
fi
scripts/stack.sh down run
