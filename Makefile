# beatgraph: `make run` serves the API with its own Neo4j and Redis; `make test` runs the suite.
SHELL := /bin/bash

.PHONY: setup run stop test unit lint lock web-types screenshots

setup:
	@scripts/bootstrap.sh

run: setup
	@scripts/run.sh

stop:
	@scripts/stop.sh

test:
	@BEATGRAPH_BROWSER=1 scripts/bootstrap.sh
	@scripts/test.sh

# Renew requirements.lock (exact versions and hashes) from pyproject.toml's ranges; commit it.
lock: setup
	.venv/bin/pip install -q uv==0.13.9
	.venv/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --upgrade -o requirements.lock

# The tests that need neither Neo4j nor Redis (a few seconds; no stack started).
unit: setup
	.venv/bin/python -m pytest -m "not stack" -q

# What a reviewer checks (CI runs it before the suite; .pre-commit-config.yaml has the same).
lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy graph api realtime server cypher bulk notifications

# Benchmarks run against their own stack (profile "bench") and print figures.
bench-web:
	@BEATGRAPH_BROWSER=1 scripts/bootstrap.sh
	@scripts/bench.sh web

# Per-operation CPU, Redis commands, Neo4j commits, db hits and bytes behind docs/scaling.md:
# CAPACITY_OPS of each operation one at a time (default 150; about five minutes, ~1 core).
bench-capacity: setup
	@scripts/bench.sh capacity

# The 1M-user import and scale benchmark keeps its own stack folder (the store is replaced).
bench-scale: setup
	@BEATGRAPH_VAR=$(CURDIR)/var/scale/stack scripts/bench.sh scale

# bench-throughput also runs the Matrix peer when installed; PEER=synapse installs it, PEER=none skips it.
bench-%: setup
	@scripts/bench.sh $*

# Regenerate the web client's API types from the app's OpenAPI document (after an API change).
web-types: setup
	@scripts/web_types.sh

# Screenshots of the web client's main screens on the demo data, into docs/img/.
screenshots:
	@BEATGRAPH_BROWSER=1 scripts/bootstrap.sh
	@scripts/screenshots.sh
