"""What a route handler returns, as Flask turns it into a response.

Spelled with real classes rather than `flask.typing.ResponseReturnValue`: flask-openapi3
resolves each handler's annotations at start, and that alias holds forward references
it cannot resolve from our modules.
"""

from typing import Any

from werkzeug.wrappers import Response

JSONBody = dict[str, Any]
Reply = Response | JSONBody | tuple[JSONBody, int]
