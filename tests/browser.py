"""Driving the web client in Debian's Chromium with Playwright, as people would.

Each person gets a browser context of their own, signed in only by the `bp_session`
cookie. Pages are driven by role and accessible name; waits are Playwright's
auto-retrying assertions, never sleeps. Nothing here downloads a browser.
"""

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from server.tokens import issue_token
from tests.served import REALTIME_TEST_SETTINGS, ServedApp

CHROMIUM = os.environ.get("BEATGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous: the box is shared, and a cold query plan can take a second or more.
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


def wait_until(condition: Callable[[], bool], timeout: float = WAIT_MS / 1000) -> None:
    """Poll a server-side condition (after a change the page shows before it is saved)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s")
        time.sleep(0.05)


def launch(playwright: Any) -> Browser:
    """Debian's Chromium, headless, with nothing reaching the network but loopback."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def web_settings(port: int) -> dict[str, str]:
    """The served app's settings: local sign-in on, links back to this very server."""
    base = f"http://127.0.0.1:{port}"
    return dict(
        REALTIME_TEST_SETTINGS,
        BEATGRAPH_WS_PING_SECONDS="5",
        BEATGRAPH_WS_IDLE_SECONDS="30",
        BEATGRAPH_TYPING_TTL_MS="6000",
        BEATGRAPH_DEV_AUTH="1",
        BEATGRAPH_WEB_URL=base + "/",
        BEATGRAPH_LOGIN_URL=base + "/login",
    )


@dataclass
class Person:
    """One signed-in person: their own browser context and page."""

    user: dict[str, Any]
    context: BrowserContext
    page: Page
    base: str

    def go(self, path: str) -> "Person":
        self.page.goto(self.base + path)
        return self

    def live(self) -> "Person":
        """Wait until this page's socket is authenticated and registered on the server."""
        expect(self.page.get_by_role("img", name="Live updates on")).to_be_visible(timeout=WAIT_MS)
        return self

    def button(self, name: str | re.Pattern[str], exact: bool = True) -> Locator:
        return self.page.get_by_role("button", name=name, exact=exact)

    def messages_button(self) -> Locator:
        return self.page.get_by_role("button", name=re.compile(r"^Messages(, \d+ unread)?$"))

    def panel(self) -> Locator:
        return self.page.get_by_role("dialog", name="Messages")

    def open_panel(self) -> Locator:
        self.messages_button().click()
        panel = self.panel()
        expect(panel).to_be_visible()
        return panel

    def conversation_row(self, name: str) -> Locator:
        return self.panel().get_by_role("button", name=re.compile("^" + re.escape(name)))

    def open_conversation(self, name: str) -> Locator:
        """Open the panel (if needed) and the conversation named `name`."""
        if not self.panel().is_visible():
            self.open_panel()
        self.conversation_row(name).click()
        expect(self.panel().get_by_role("textbox", name="Write a message")).to_be_visible()
        return self.panel()

    def send(self, text: str) -> None:
        box = self.panel().get_by_role("textbox", name="Write a message")
        box.fill(text)
        self.panel().get_by_role("button", name="Send").click()

    def message(self, text: str) -> Locator:
        return self.panel().get_by_role("listitem").filter(has_text=text)


class People:
    """Opens a signed-in context per user of the served app."""

    def __init__(self, browser: Browser, served: ServedApp, secret: str) -> None:
        self.browser = browser
        self.served = served
        self.secret = secret
        self.contexts: list[BrowserContext] = []

    def new_context(self, **options: Any) -> BrowserContext:
        context = self.browser.new_context(base_url=self.served.base, **options)
        context.set_default_timeout(WAIT_MS)
        self.contexts.append(context)
        return context

    def sign_in(
        self, user: dict[str, Any], path: str = "/", ttl: int = 600, **options: Any
    ) -> Person:
        """A context holding only the `bp_session` cookie, at `path`."""
        context = self.new_context(**options)
        token = issue_token(self.secret, user["id"], ttl)
        context.add_cookies(
            [
                {
                    "name": "bp_session",
                    "value": token,
                    "url": self.served.base,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        page = context.new_page()
        person = Person(user, context, page, self.served.base)
        person.go(path)
        return person

    def close(self) -> None:
        for context in self.contexts:
            context.close()
