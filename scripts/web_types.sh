#!/usr/bin/env bash
# Regenerates web/src/api/schema.d.ts (the typed API client's types) from the app's
# OpenAPI document. tests/test_web_types.py fails when the committed file has drifted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
document=$(mktemp --suffix=.json)
trap 'rm -f "$document"' EXIT
.venv/bin/python scripts/openapi_document.py > "$document"
web/node_modules/.bin/openapi-typescript "$document" -o web/src/api/schema.d.ts --default-non-nullable false --silent
echo "web_types: wrote web/src/api/schema.d.ts"
