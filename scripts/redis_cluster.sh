#!/usr/bin/env bash
# A local Redis Cluster on loopback for the cluster profile: 3 masters and 3 replicas of
# Debian's redis-server, one password for all (var/cluster/redis.password, 0600), data and
# logs under var/cluster/. Ports BEATGRAPH_CLUSTER_PORT (default 7100) to +5.
#
#   scripts/redis_cluster.sh up     start the six nodes and form the cluster (idempotent)
#   scripts/redis_cluster.sh env    print `export REDIS_URL=redis+cluster://…` and the PID files
#   scripts/redis_cluster.sh down   stop the nodes by PID
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
var=${BEATGRAPH_VAR:-$root/var/cluster}
base_port=${BEATGRAPH_CLUSTER_PORT:-7100}
ports=($(seq "$base_port" $((base_port + 5))))
password_file=$var/redis.password

say() { echo "cluster: $*" >&2; }
die() { say "$*"; exit 1; }

password() {
  mkdir -p "$var"
  chmod 700 "$var"
  if [ ! -s "$password_file" ]; then
    (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$password_file")
  fi
  chmod 600 "$password_file"
  cat "$password_file"
}

pid_of() { cat "$var/$1/redis.pid" 2>/dev/null || true; }

answers() {  # the node on this port is alive and answers PING with the password
  REDISCLI_AUTH=$(password) redis-cli -p "$1" ping 2>/dev/null | grep -q PONG
}

start_node() {
  local port=$1 dir=$var/$1
  if answers "$port"; then return; fi
  mkdir -p "$dir"
  local secret; secret=$(password)
  cat >"$dir/redis.conf" <<CONF
bind 127.0.0.1
port $port
protected-mode yes
requirepass $secret
masterauth $secret
cluster-enabled yes
cluster-config-file $dir/nodes.conf
cluster-node-timeout 2000
appendonly yes
appendfsync everysec
dir $dir
pidfile $dir/redis.pid
logfile $dir/redis.log
CONF
  chmod 600 "$dir/redis.conf"
  redis-server "$dir/redis.conf" --daemonize yes >/dev/null
}

wait_until_answering() {
  for _ in $(seq 100); do
    answers "$1" && return
    sleep 0.1
  done
  die "Redis on $1 did not answer in 10 s (see $var/$1/redis.log)"
}

cluster_ok() {
  REDISCLI_AUTH=$(password) redis-cli -p "${ports[0]}" cluster info 2>/dev/null \
    | grep -q '^cluster_state:ok'
}

replicas_in_sync() {  # three replicas, each with its link to its master up
  local synced=0
  for port in "${ports[@]}"; do
    REDISCLI_AUTH=$(password) redis-cli -p "$port" info replication 2>/dev/null \
      | grep -q '^master_link_status:up' && synced=$((synced + 1))
  done
  [ "$synced" -eq 3 ]
}

up() {
  command -v redis-server >/dev/null || die "redis-server is missing (scripts/bootstrap.sh installs it)"
  for port in "${ports[@]}"; do start_node "$port"; done
  for port in "${ports[@]}"; do wait_until_answering "$port"; done
  if ! cluster_ok; then
    local known
    known=$(REDISCLI_AUTH=$(password) redis-cli -p "${ports[0]}" cluster info | awk -F: '/cluster_known_nodes/{print $2}' | tr -d '\r')
    if [ "${known:-1}" -le 1 ]; then
      say "forming the cluster on ports ${ports[*]}"
      REDISCLI_AUTH=$(password) redis-cli --cluster create \
        $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 1 --cluster-yes >/dev/null
    fi
    for _ in $(seq 100); do cluster_ok && break; sleep 0.1; done
    cluster_ok || die "the cluster did not reach state ok"
  fi
  # Every replica in sync with its master, so a master killed next can fail over.
  for _ in $(seq 200); do replicas_in_sync && break; sleep 0.1; done
  replicas_in_sync || die "the replicas did not catch up with their masters in 20 s"
  say "Redis Cluster up on 127.0.0.1:${ports[0]}-${ports[5]}"
}

down() {
  for port in "${ports[@]}"; do
    local pid; pid=$(pid_of "$port")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
  done
  for port in "${ports[@]}"; do
    local pid; pid=$(pid_of "$port")
    for _ in $(seq 50); do
      { [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; } && break
      sleep 0.1
    done
  done
  say "Redis Cluster stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env)
    nodes=$(printf '127.0.0.1:%s,' "${ports[@]}")
    echo "export REDIS_URL=redis+cluster://:$(password)@${nodes%,}"
    echo "export BEATGRAPH_CLUSTER_VAR=$var"
    ;;
  *) die "usage: scripts/redis_cluster.sh up|down|env" ;;
esac
