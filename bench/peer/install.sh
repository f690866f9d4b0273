#!/usr/bin/env bash
# Installs the benchmark's peer, Matrix Synapse (latest 1.x from PyPI) on PostgreSQL 15
# (Debian's `postgresql` package), into the git-ignored var/peer/ (BEATGRAPH_PEER_DIR).
# Safe to run again: it does only what is missing. Never prompts. Starts nothing:
# bench/peer/synapse.py starts and stops the servers by PID around a benchmark run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
peer=${BEATGRAPH_PEER_DIR:-$root/var/peer}
python=${PYTHON:-python3}

die() { printf 'peer install: %s\n' "$*" >&2; exit 1; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
command -v pg_config >/dev/null || missing+=(libpq-dev)  # psycopg2 builds against libpq
command -v gcc >/dev/null || missing+=(gcc)
"$python" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    die "missing: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
  fi
  echo "peer install: installing ${missing[*]} with apt"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
[ -n "$(pg_bin)" ] || die "PostgreSQL is still missing after apt"

mkdir -p "$peer"
if [ ! -x "$peer/venv/bin/synctl" ]; then
  echo "peer install: installing matrix-synapse into $peer/venv"
  "$python" -m venv "$peer/venv"
  "$peer/venv/bin/pip" install -q --upgrade pip
  "$peer/venv/bin/pip" install -q "matrix-synapse[postgres]>=1,<2"
fi
"$peer/venv/bin/python" -c 'import synapse, psycopg2; print("peer install: synapse", synapse.__version__)'
pg_bin >"$peer/pg_bin"
