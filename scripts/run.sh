#!/usr/bin/env bash
# Runs beatgraph for local use: Neo4j and Redis (profile "run"), the schema, the demo
# graph, the notification worker, and gunicorn on 127.0.0.1:8000. Ctrl-C (or
# `make stop`) stops all of it.
set -euo pipefail
# Logs, PID files and the service token below are for this user only.
umask 077
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null; then
  echo "run: port 8000 on 127.0.0.1 is already in use (is beatgraph already running? \`make stop\`)" >&2
  exit 1
fi
scripts/stack.sh up run
eval "$(scripts/stack.sh env run)"
export BEATGRAPH_DEV_AUTH=${BEATGRAPH_DEV_AUTH:-1}
flask=(.venv/bin/flask --app wsgi)
"${flask[@]}" migrate >/dev/null
"${flask[@]}" demo
mkdir -p var/run var/log
chmod 700 var/run var/log
service_token_file=$("${flask[@]}" token beatpass-backend --service --out var/run/service-token)

cat <<INFO

  beatgraph is running
    Web client     http://127.0.0.1:8000/          (sign in as a demo user at /login)
    API            http://127.0.0.1:8000/api/v1
    API docs       http://127.0.0.1:8000/docs      (OpenAPI: /openapi.json)
    Readiness      http://127.0.0.1:8000/readyz
    Neo4j Browser  http://127.0.0.1:$BEATGRAPH_NEO4J_HTTP_PORT/browser   (bolt://127.0.0.1:${NEO4J_URI##*:}, user neo4j, password $NEO4J_PASSWORD)

  demo sign-in (BEATGRAPH_DEV_AUTH=1):
    curl -s -X POST http://127.0.0.1:8000/api/v1/dev/token -H 'Content-Type: application/json' -d '{"username": "maya"}'
    demo users: maya, theo, lena.loops, kofi_808, ines
  service token (creates users, producers, uploads), valid 24 h, in a 0600 file:
    curl -H "Authorization: Bearer \$(cat $service_token_file)" ...

  stop with Ctrl-C or \`make stop\`
INFO

touch var/log/worker.log && chmod 600 var/log/worker.log  # made before the umask, perhaps
# Two notification workers: they share an upload's fan-out (leased ranges of likers), so a
# million-liker upload is told in about half the time one takes (docs/benchmarks.md).
: > var/run/worker.pid
for _ in 1 2; do
  "${flask[@]}" worker 2>>var/log/worker.log &
  echo $! >> var/run/worker.pid
done
echo "  notification workers: pids $(tr '\n' ' ' < var/run/worker.pid), log var/log/worker.log"
stop_all() {
  xargs kill < var/run/worker.pid 2>/dev/null || true
  scripts/stack.sh down run
}
trap stop_all EXIT
.venv/bin/gunicorn -c server/gunicorn_conf.py --pid var/run/gunicorn.pid wsgi:app
