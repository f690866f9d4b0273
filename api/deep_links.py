"""`GET /messages?conversation=ID`: the deep link from notifications and emails.

Signed out → the BeatPass login with `next` back here; signed in → the web player with
the messaging panel open on that conversation (or just open, if it is not theirs).
"""

from urllib.parse import urlencode

from flask import current_app, redirect, request
from flask_openapi3 import APIBlueprint, Tag
from pydantic import Field

from api.auth import optional_caller
from api.context import get_graph
from api.openapi import problems
from api.replies import Reply
from api.schemas.query import QueryModel
from graph.conversations import is_participant

bp = APIBlueprint("deep_links", __name__, abp_tags=[Tag(name="deep links")])


class DeepLinkQuery(QueryModel):
    conversation: str | None = Field(None, max_length=64, description="a conversation id")


REDIRECT = {
    "description": "To BEATGRAPH_LOGIN_URL?next=… without a valid token; with one, to "
    "BEATGRAPH_WEB_URL with the messaging panel open (on the conversation "
    "when it is yours)",
    "headers": {
        "Location": {
            "description": "where to go",
            "required": True,
            "schema": {"type": "string", "format": "uri"},
        }
    },
}


def _with_query(base: str, params: dict[str, str]) -> str:
    return base + ("&" if "?" in base else "?") + urlencode(params)


@bp.get(
    "/messages",
    responses={302: REDIRECT, **problems(400, 429, 503)},
    security=[{"bearer": []}, {"session": []}, {}],
)
def messages_deep_link(query: DeepLinkQuery) -> Reply:
    """Redirect to sign-in, or to the web player with the messaging panel open.

    The token comes as a Bearer header or the `bp_session` cookie; without either (or with
    an invalid one) this is still a 302, to the sign-in page with `next` back here."""
    caller = optional_caller()
    if caller is None:
        return redirect(
            _with_query(
                current_app.config["BEATGRAPH_LOGIN_URL"], {"next": request.full_path.rstrip("?")}
            ),
            302,
        )
    params = {"messages": "open"}
    if query.conversation and is_participant(get_graph(), caller.user_id, query.conversation):
        params["conversation"] = query.conversation
    return redirect(_with_query(current_app.config["BEATGRAPH_WEB_URL"], params), 302)
