"""Print the app's OpenAPI document (as /openapi.json serves it) without serving the app."""

import json
import sys

from server.factory import create_app


def main() -> None:
    """Write the document to stdout; it needs no running Neo4j or Redis."""
    app = create_app({"TESTING": True})
    json.dump(app.api_doc, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")
    app.extensions["beatgraph.typing"].stop()
    app.extensions["beatgraph.relay"].stop()


if __name__ == "__main__":
    main()
