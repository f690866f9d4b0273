"""Print the app's OpenAPI document exactly as GET /openapi.json serves it."""

import json
import sys

from server.factory import create_app


def main() -> None:
    """Write the document to stdout; it needs no running Neo4j or Redis."""
    app = create_app({"TESTING": True})
    document = app.test_client().get("/openapi.json").get_json()
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")
    app.extensions["beatgraph.typing"].stop()
    app.extensions["beatgraph.relay"].stop()


if __name__ == "__main__":
    main()
