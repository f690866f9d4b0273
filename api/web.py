"""The web client's build (`web/dist`), served at `/` and at every client route.

Hashed assets under `/assets/` are cached for a year; the page itself is never cached, so
a new build is picked up at once. The page learns where sign-in lives (BEATGRAPH_LOGIN_URL)
and whether local sign-in is on from two `<meta>` tags filled in here.
"""

from html import escape
from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

from api.errors import problem_response

bp = Blueprint("web", __name__)

DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
CLIENT_ROUTES = (
    "/",
    "/login",
    "/library/artists",
    "/settings/notifications",
    "/users/<user_id>",
    "/producers/<producer_id>",
)
YEAR = 365 * 24 * 3600


def _dist() -> Path:
    return Path(current_app.config.get("BEATGRAPH_WEB_DIST") or DIST)


def _page() -> Response:
    index = _dist() / "index.html"
    if not index.is_file():
        return problem_response(
            503, "Web client not built", "the web client is not built: run `make setup`"
        )
    html = index.read_text(encoding="utf-8")
    html = html.replace("%BP_LOGIN_URL%", escape(current_app.config["BEATGRAPH_LOGIN_URL"]))
    html = html.replace("%BP_DEV_AUTH%", "1" if current_app.config["BEATGRAPH_DEV_AUTH"] else "0")
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def client_page(**_: str) -> Response:
    """The single page of the client; it routes by the URL itself."""
    return _page()


for _number, _rule in enumerate(CLIENT_ROUTES):
    bp.add_url_rule(_rule, view_func=client_page, endpoint=f"page{_number}")


@bp.get("/assets/<path:name>")
def asset(name: str) -> Response:
    """A built script, style sheet or image (content-hashed, so cached for good)."""
    return send_from_directory(_dist() / "assets", name, max_age=YEAR)


@bp.get("/favicon.svg")
def favicon() -> Response:
    """The tab icon."""
    return send_from_directory(_dist(), "favicon.svg", max_age=24 * 3600)
