#!/usr/bin/env bash
# Starts and stops the local Neo4j and Redis that beatgraph runs against.
#
#   scripts/stack.sh up   <profile>   assemble Neo4j if needed, start Neo4j and Redis
#   scripts/stack.sh down <profile>   stop what `up` started, by PID
#   scripts/stack.sh env  <profile>   print the environment the app needs for that stack
#
# A profile ("run", "test" or "bench") has its own ports and data folder under var/<profile>,
# so the test suite never touches the demo data ("cluster" is the local Redis Cluster of
# scripts/redis_cluster.sh: up, down and env only). Ports and memory are overridable:
#   BEATGRAPH_BOLT_PORT, BEATGRAPH_HTTP_PORT, BEATGRAPH_REDIS_PORT,
#   NEO4J_HEAP (e.g. 2g), NEO4J_PAGECACHE (e.g. 4g), NEO4J_TX_MAX (e.g. 1g).
# Redis gets a password generated once per profile (var/<profile>/redis.password, 0600),
# which `env` puts into REDIS_URL. Everything under var/<profile> is for its owner only.
set -euo pipefail
umask 077

root=$(cd "$(dirname "$0")/.." && pwd)
action=${1:?usage: stack.sh up|down|env <profile>}
profile=${2:-run}

case "$profile" in
  # The Redis Cluster beside the test stack (3 masters, 3 replicas): its own script.
  cluster) exec "$root/scripts/redis_cluster.sh" "$action" ;;
  run)  default_bolt=7687; default_http=7474; default_redis=6390 ;;
  test) default_bolt=7688; default_http=7475; default_redis=6391 ;;
  bench) default_bolt=7689; default_http=7476; default_redis=6392 ;;
  *)    echo "stack.sh: unknown profile '$profile' (use run, test, bench or cluster)" >&2; exit 2 ;;
esac
bolt_port=${BEATGRAPH_BOLT_PORT:-$default_bolt}
http_port=${BEATGRAPH_HTTP_PORT:-$default_http}
redis_port=${BEATGRAPH_REDIS_PORT:-$default_redis}
neo4j_password=${NEO4J_PASSWORD:-beatgraph-$profile}

neo4j_home=${BEATGRAPH_NEO4J_HOME:-$root/.neo4j/home}
var=${BEATGRAPH_VAR:-$root/var/$profile}
neo4j_conf_dir=$var/neo4j/conf
neo4j_pid=$var/neo4j.pid
neo4j_log=$var/neo4j.log
redis_pid=$var/redis.pid
redis_log=$var/redis.log
redis_password_file=$var/redis.password

say() { printf 'stack[%s]: %s\n' "$profile" "$*"; }
die() { printf 'stack[%s]: %s\n' "$profile" "$*" >&2; exit 1; }

# The pidfile's process exists and is not a zombie: a killed process its parent has not
# reaped yet still passes `kill -0`, and would pass for running.
is_running() {
  [ -f "$1" ] || return 1
  local state
  state=$(ps -o stat= -p "$(cat "$1")" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}

# Our Redis runs only if its process lives and it answers PING with the password: after a
# `kill -9` the pidfile is stale, and its PID may be a zombie or belong to another program.
redis_running() {
  is_running "$redis_pid" || return 1
  [ "$(REDISCLI_AUTH=$(redis_password) timeout 3 redis-cli --no-auth-warning \
        -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ]
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
  if port_busy "$1"; then
    die "port $1 ($2) on 127.0.0.1 is already in use by another program; stop it or set $3"
  fi
}

assemble_neo4j() {
  if [ -f "$neo4j_home/.assembled" ]; then return; fi
  command -v java >/dev/null || die "Java 17 is missing: install openjdk-17-jre-headless (scripts/bootstrap.sh does it with apt)"
  command -v mvn >/dev/null || die "Maven is missing: install maven (scripts/bootstrap.sh does it with apt)"
  say "assembling Neo4j from Maven Central into $neo4j_home (cached in ~/.m2)"
  rm -rf "$neo4j_home/lib"
  mvn -B -q -f "$root/scripts/neo4j/pom.xml" package -Dneo4j.home="$neo4j_home" \
    || die "Maven could not assemble Neo4j (see the output above)"
  grep -o '<neo4j.version>[^<]*' "$root/scripts/neo4j/pom.xml" | cut -d'>' -f2 >"$neo4j_home/.assembled"
}

write_neo4j_conf() {
  mkdir -p "$neo4j_conf_dir" "$var/neo4j/data" "$var/neo4j/logs" "$var/neo4j/run" \
    "$var/neo4j/import" "$var/neo4j/plugins"
  cat >"$neo4j_conf_dir/neo4j.conf" <<CONF
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$bolt_port
server.bolt.advertised_address=127.0.0.1:$bolt_port
server.http.enabled=true
server.http.listen_address=127.0.0.1:$http_port
server.http.advertised_address=127.0.0.1:$http_port
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
client.allow_telemetry=false
server.directories.data=$var/neo4j/data
server.directories.logs=$var/neo4j/logs
server.directories.run=$var/neo4j/run
server.directories.import=$var/neo4j/import
server.directories.plugins=$var/neo4j/plugins
server.memory.pagecache.size=${NEO4J_PAGECACHE:-2g}
dbms.memory.transaction.total.max=${NEO4J_TX_MAX:-1g}
db.transaction.timeout=30s
CONF
}

set_initial_password() {
  [ -f "$var/neo4j/data/dbms/auth.ini" ] && return
  NEO4J_HOME=$neo4j_home NEO4J_CONF=$neo4j_conf_dir \
    java -cp "$neo4j_home/lib/*" org.neo4j.cli.AdminTool dbms set-initial-password "$neo4j_password" \
    >>"$neo4j_log" 2>&1 || die "could not set the Neo4j initial password (see $neo4j_log)"
}

wait_for_port() {  # port, pidfile, what, log, seconds
  local deadline=$((SECONDS + $5))
  until port_busy "$1"; do
    is_running "$2" || die "$3 exited during start-up; last lines of $4:
$(tail -n 20 "$4")"
    [ $SECONDS -lt $deadline ] || die "$3 did not answer on port $1 within $5 s (see $4)"
    sleep 0.5
  done
}

start_neo4j() {
  if is_running "$neo4j_pid"; then say "Neo4j already running (pid $(cat "$neo4j_pid"))"; return; fi
  assemble_neo4j
  write_neo4j_conf
  set_initial_password
  local heap=${NEO4J_HEAP:-2g}
  say "starting Neo4j $(cat "$neo4j_home/.assembled") on bolt://127.0.0.1:$bolt_port"
  # The flags the official launcher would add; a direct java launch must pass them.
  nohup java -Xms"$heap" -Xmx"$heap" \
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+UnlockExperimentalVMOptions \
    -XX:+TrustFinalNonStaticFields -XX:+DisableExplicitGC \
    -Djdk.nio.maxCachedBufferSize=1024 -Dlog4j2.disable.jmx=true \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED \
    --enable-native-access=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true -Dfile.encoding=UTF-8 \
    -cp "$neo4j_home/lib/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$neo4j_home" --config-dir="$neo4j_conf_dir" --console-mode \
    >>"$neo4j_log" 2>&1 </dev/null &
  echo $! >"$neo4j_pid"
  wait_for_port "$bolt_port" "$neo4j_pid" Neo4j "$neo4j_log" 120
}

# Created once, kept across restarts so running apps and tests keep their URL.
redis_password() {
  if [ ! -s "$redis_password_file" ]; then
    mkdir -p "$var"
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$redis_password_file"
  fi
  chmod 600 "$redis_password_file"
  cat "$redis_password_file"
}

start_redis() {
  if redis_running; then say "Redis already running (pid $(cat "$redis_pid"))"; return; fi
  rm -f "$redis_pid"
  command -v redis-server >/dev/null || die "redis-server is missing: install redis-server (scripts/bootstrap.sh does it with apt)"
  mkdir -p "$var/redis"
  local password; password=$(redis_password)
  cat >"$var/redis.conf" <<CONF
bind 127.0.0.1
port $redis_port
protected-mode yes
requirepass $password
daemonize no
save ""
appendonly no
dir $var/redis
maxmemory 512mb
maxmemory-policy noeviction
CONF
  chmod 600 "$var/redis.conf"
  say "starting Redis on redis://127.0.0.1:$redis_port"
  nohup redis-server "$var/redis.conf" >>"$redis_log" 2>&1 </dev/null &
  echo $! >"$redis_pid"
  wait_for_port "$redis_port" "$redis_pid" Redis "$redis_log" 20
}

stop_by_pid() {  # pidfile, what
  if ! is_running "$1"; then rm -f "$1"; return; fi
  local pid; pid=$(cat "$1")
  say "stopping $2 (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$1"
}

print_env() {
  # The test profile uses the routing driver (neo4j://), as a cluster or Aura needs: the
  # single server routes to itself, and the whole suite runs through routing.
  local scheme=bolt
  [ "$profile" != test ] || scheme=neo4j
  cat <<ENV
export NEO4J_URI=$scheme://127.0.0.1:$bolt_port
export NEO4J_USER=neo4j
export NEO4J_PASSWORD=$neo4j_password
export REDIS_URL=redis://:$(redis_password)@127.0.0.1:$redis_port/0
export BEATGRAPH_NEO4J_HTTP_PORT=$http_port
export BEATGRAPH_REDIS_PIDFILE=$redis_pid
export BEATGRAPH_NEO4J_PIDFILE=$neo4j_pid
ENV
}

# Every port is checked before anything starts, so a clash leaves nothing half-started.
check_ports() {
  redis_running || require_free_port "$redis_port" Redis BEATGRAPH_REDIS_PORT
  if ! is_running "$neo4j_pid"; then
    require_free_port "$bolt_port" "Neo4j Bolt" BEATGRAPH_BOLT_PORT
    require_free_port "$http_port" "Neo4j HTTP" BEATGRAPH_HTTP_PORT
  fi
}

# If Neo4j fails to start, stop the Redis this same call started: all or nothing.
up() {
  mkdir -p "$var"
  # Logs and configs written before the umask, too: nobody else may enter the folder.
  chmod 700 "$var"
  for log in "$neo4j_log" "$redis_log"; do [ ! -f "$log" ] || chmod 600 "$log"; done
  check_ports
  local redis_was_running=0
  redis_running && redis_was_running=1
  trap '[ $? -eq 0 ] || [ $redis_was_running = 1 ] || stop_by_pid "$redis_pid" Redis' EXIT
  start_redis
  start_neo4j
}

case "$action" in
  up)   up ;;
  down) stop_by_pid "$neo4j_pid" Neo4j; stop_by_pid "$redis_pid" Redis ;;
  env)  print_env ;;
  *)    echo "usage: stack.sh up|down|env <profile>" >&2; exit 2 ;;
esac
