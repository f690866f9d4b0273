#!/usr/bin/env bash
# Stops what `make run` started: gunicorn and the worker, then Neo4j and Redis, each by
# its PID file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for name in gunicorn worker; do
  pidfile=var/run/$name.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    pid=$(cat "$pidfile")
    echo "stop: stopping $name (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
done
scripts/stack.sh down run
