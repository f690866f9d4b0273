#!/usr/bin/env bash
# Stops what `make run` started: gunicorn and the workers, then Neo4j and Redis, each by
# its PID file (worker.pid holds one PID per line).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for name in gunicorn worker; do
  pidfile=var/run/$name.pid
  [ -f "$pidfile" ] || continue
  while read -r pid; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      echo "stop: stopping $name (pid $pid)"
      kill "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
  done < "$pidfile"
done
scripts/stack.sh down run
