"""Screenshots of the web client's main screens on the demo graph, into docs/img/web-*.png.

Run by `make screenshots` (scripts/screenshots.sh) on the test stack: the test database is
wiped and the demo graph loaded, the app and the notification worker are served, and
Chromium signs in as the demo users by their `bp_session` cookies.
"""

import re
import sys
import uuid
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from cypher import Q
from graph.events import UnitOfWork
from graph.schema import apply_schema
from server.demo import load_demo_graph
from server.factory import create_app
from tests.browser import People, Person, launch, web_settings
from tests.served import ServedApp, ServedWorker, free_port

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def shoot(person: Person, name: str) -> None:
    person.page.mouse.move(0, 0)
    person.page.screenshot(path=str(IMG / f"web-{name}.png"))
    print(f"docs/img/web-{name}.png")


def prepare_graph(app) -> None:
    graph = app.extensions["beatgraph.graph"]
    state = graph.single(Q.testing.get_database_state)
    if state and state["has_data"] and not state["is_test"]:
        sys.exit("refusing to wipe a database that is not the test one")
    graph.run(Q.testing.wipe_graph)
    graph.run(Q.testing.mark_test_database)
    apply_schema(graph)
    load_demo_graph(graph, UnitOfWork())  # no socket listens yet


def desktop_screens(crowd: People) -> None:
    maya = crowd.sign_in({"id": "u-maya"}, viewport=DESKTOP).live()
    theo = crowd.sign_in({"id": "u-theo"}, viewport=DESKTOP).live()
    bell = maya.button(re.compile(r"^Notifications, \d+ unread$"))
    expect(bell).to_be_visible()
    panel = maya.open_panel()
    expect(maya.conversation_row("Collab: summer pack")).to_be_visible()
    shoot(maya, "panel")
    maya.open_conversation("Theo Keys")
    expect(maya.button("Messages, 1 unread")).to_be_visible()
    theo.open_conversation("Maya Beats")
    theo.panel().get_by_role("textbox", name="Write a message").press_sequentially("sending")
    expect(panel.get_by_role("status").filter(has_text="typing")).to_be_visible()
    expect(maya.message("thanks! want the stems?")).to_contain_text("Seen")
    shoot(maya, "conversation")
    panel.get_by_role("button", name="Conversation options").click()
    shoot(maya, "conversation-menu")
    maya.page.keyboard.press("Escape")
    panel.get_by_role("button", name="Back to conversations").click()
    panel.get_by_role("button", name="New message").click()
    expect(panel.get_by_role("list", name="People").get_by_role("button").first).to_be_visible()
    shoot(maya, "new-message")
    maya.page.keyboard.press("Escape")
    bell.click()
    # The worker puts the demo's last upload into the likers' bells.
    expect(maya.page.get_by_role("dialog", name="Notifications")).to_contain_text("Midnight Run")
    shoot(maya, "bell")
    maya.page.keyboard.press("Escape")
    for path, name, ready in (
        ("/users/u-theo?tab=followers", "profile", "Unfollow"),
        ("/producers/p-kofi", "producer", "Following"),
    ):
        maya.go(path)
        expect(maya.button(ready)).to_be_visible()
        listed = maya.page.get_by_role("list", name="Followers").get_by_role("listitem")
        expect(listed.first).to_be_visible()
        expect(maya.page.get_by_text("Loading…")).to_have_count(0)
        shoot(maya, name)
    maya.go("/library/artists")
    expect(maya.page.get_by_text("2 liked artists")).to_be_visible()
    shoot(maya, "artists")
    maya.go("/settings/notifications")
    expect(maya.page.get_by_role("checkbox", name="New follower: Email")).to_be_visible()
    shoot(maya, "preferences")


def phone_screens(crowd: People) -> None:
    kofi = crowd.sign_in({"id": "u-kofi"}, viewport=PHONE, is_mobile=True, has_touch=True).live()
    kofi.open_conversation("Collab: summer pack")
    expect(kofi.message("kickoff friday?")).to_be_visible()
    shoot(kofi, "phone-conversation")
    login = crowd.new_context(viewport=PHONE, is_mobile=True).new_page()
    login.goto("/login")
    expect(login.get_by_role("button", name="Sign in as Maya Beats @maya")).to_be_visible()
    login.screenshot(path=str(IMG / "web-phone-login.png"))
    print("docs/img/web-phone-login.png")


def main() -> int:
    config = {
        "REDIS_PREFIX": f"shots{uuid.uuid4().hex[:6]}:",
        "BEATGRAPH_RATE_LIMIT": "100000 per minute",
    }
    app = create_app(config)
    prepare_graph(app)
    config["BEATGRAPH_JWT_SECRET"] = app.config["BEATGRAPH_JWT_SECRET"]
    port = free_port()
    worker = ServedWorker(config, web_settings(port))
    served = ServedApp(config, web_settings(port), port=port)
    graph = app.extensions["beatgraph.graph"]
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            crowd = People(browser, served, config["BEATGRAPH_JWT_SECRET"])
            desktop_screens(crowd)
            phone_screens(crowd)
            crowd.close()
            browser.close()
    finally:
        served.stop()
        worker.stop()
        app.extensions["beatgraph.typing"].stop()
        app.extensions["beatgraph.relay"].stop()
        graph.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
