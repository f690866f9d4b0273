"""Flask's JSON provider with responses encoded by orjson.

The standard library's encoder takes ~50 µs for a page of 20 messages, a twentieth of the
statement that read them; orjson takes ~5 (docs/benchmarks.md, "Lazy causal chains, orjson
responses"). The output is the JSON Flask would send in its compact form: sorted keys,
non-string keys as strings, dates through Flask's `default` (HTTP dates), one trailing
newline; text is UTF-8 rather than `\\u` escapes.
"""

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider
from werkzeug.sansio.response import Response as BaseResponse

_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_APPEND_NEWLINE
)


class OrjsonResponses(DefaultJSONProvider):
    """Encodes response bodies with orjson; everything else is Flask's provider."""

    def response(self, *args: Any, **kwargs: Any) -> BaseResponse:
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)  # indented, for a person reading it
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:  # e.g. an integer past 64 bits, which json can write
            return super().response(*args, **kwargs)
        return Response(body, mimetype=self.mimetype)
