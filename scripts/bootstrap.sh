#!/usr/bin/env bash
# Installs what beatgraph needs on a fresh Debian/Ubuntu machine (Java 17, Maven,
# redis-server, python3-venv, Node.js and npm, and for the browser tests Chromium, via apt
# when missing), then the virtualenv and packages, and builds the web client.
# Safe to run again: it does only what is missing. Never prompts (CI has no stdin).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/.venv
python=${PYTHON:-python3}

die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
  || die "Python 3.11 or newer is needed as '$python' (set PYTHON=/path/to/python3.11)"

missing=()
java_ok() { command -v java >/dev/null && java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])'; }
java_ok || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -d "$venv" ] || "$python" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
command -v npm >/dev/null || missing+=(nodejs npm)
# The browser tests drive Debian's Chromium (`make test` sets BEATGRAPH_BROWSER=1).
if [ "${BEATGRAPH_BROWSER:-0}" = 1 ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    die "missing: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
  fi
  command -v apt-get >/dev/null || die "missing: ${missing[*]}, and there is no apt-get to install them with"
  echo "bootstrap: installing ${missing[*]} with apt"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
java_ok || die "Java 17+ is still missing after apt; install openjdk-17-jre-headless"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' 2>/dev/null \
  || die "Node.js 20 or newer is needed for the web client (found: $(node --version 2>&1))"

if [ ! -x "$venv/bin/python" ]; then
  echo "bootstrap: creating $venv"
  "$python" -m venv "$venv"
fi
# Packages come from requirements.lock (exact versions, hashes checked; `make lock` renews it),
# then the project itself without its dependencies.
stamp=$venv/.installed-$(cat "$root/pyproject.toml" "$root/requirements.lock" | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing Python packages from requirements.lock"
  "$venv/bin/pip" install -q --require-hashes -r "$root/requirements.lock"
  "$venv/bin/pip" install -q --no-deps -e "$root"
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi
"$root/scripts/build_web.sh"
