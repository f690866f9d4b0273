#!/usr/bin/env bash
# Builds the web client into web/dist when it is missing or out of date: `npm ci` when the
# lock file changed, `vite build` when any source or the lock file changed (stamps hold
# the hashes). Never prompts; nothing here downloads a browser.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
web=$root/web
cd "$web"

lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "node_modules/.installed-$lock_hash" ]; then
  echo "build_web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "node_modules/.installed-$lock_hash"
fi

sources_hash=$(find src public index.html package.json package-lock.json tsconfig.json \
    vite.config.ts -type f 2>/dev/null | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
if [ ! -f "dist/.built-$sources_hash" ]; then
  echo "build_web: building the web client"
  log=$(mktemp)
  if ! npm run --silent build >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "build_web: the web client did not build" >&2; exit 1
  fi
  rm -f "$log"
  touch "dist/.built-$sources_hash"
fi
