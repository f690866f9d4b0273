"""The web client's typed API client is generated from the app's own OpenAPI document."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "web" / "src" / "api" / "schema.d.ts"
GENERATOR = ROOT / "web" / "node_modules" / ".bin" / "openapi-typescript"


def test_committed_api_types_match_the_served_document(app, client, tmp_path):
    """web/src/api/schema.d.ts is what openapi-typescript makes of /openapi.json today;
    after an API change, `make web-types` regenerates it."""
    document = tmp_path / "openapi.json"
    served = client.get("/openapi.json")
    assert served.status_code == 200
    document.write_text(json.dumps(served.get_json(), indent=2))
    generated = tmp_path / "schema.d.ts"
    subprocess.run(
        [
            str(GENERATOR),
            str(document),
            "-o",
            str(generated),
            "--default-non-nullable",
            "false",
            "--silent",
        ],
        check=True,
        cwd=ROOT / "web",
        env=dict(os.environ, NO_COLOR="1"),
        timeout=120,
        capture_output=True,
    )
    assert generated.read_text() == COMMITTED.read_text(), (
        "web/src/api/schema.d.ts has drifted from /openapi.json: run `make web-types`"
    )
