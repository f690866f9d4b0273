"""The header messaging panel in Chromium: live messages and badge, receipts, typing,
failed sends and Retry, groups, and the conversation menu — each person in their own
browser context, each socket live before the other side acts."""

import re

from playwright.sync_api import expect

from tests.browser import People, wait_until


def bodies(api, user, conversation):
    """The stored message bodies of a conversation, oldest first (the server's truth)."""
    items = api.get(f"/api/v1/conversations/{conversation['id']}/messages", user)["items"]
    return [item["body"] for item in reversed(items)]


def test_a_message_arrives_live_and_the_badge_goes_up_and_down(
    people_in_browser: People, api, people
):
    """Maya's message shows on Theo's side at once, raising his badge; reading it lowers
    the badge, and Maya sees Delivered, then Seen."""
    maya_user, theo_user = people[0], people[1]
    api.start(maya_user, theo_user)
    theo = people_in_browser.sign_in(theo_user).live()
    maya = people_in_browser.sign_in(maya_user).live()
    expect(theo.messages_button()).to_have_accessible_name("Messages")
    maya.open_conversation("Theo")
    maya.send("fresh beat incoming")
    expect(theo.button("Messages, 1 unread")).to_be_visible()
    expect(maya.message("fresh beat incoming")).to_contain_text("Delivered")
    theo.open_panel()
    expect(theo.conversation_row("Maya")).to_have_accessible_name("Maya, 1 unread")
    theo.conversation_row("Maya").click()
    expect(theo.message("fresh beat incoming")).to_be_visible()
    expect(theo.messages_button()).to_have_accessible_name("Messages")
    expect(maya.message("fresh beat incoming")).to_contain_text("Seen")
    theo.send("send it over")
    expect(maya.message("send it over")).to_be_visible()
    expect(maya.messages_button()).to_have_accessible_name("Messages")


def test_a_message_sent_while_the_history_loads_stays_on_screen(
    people_in_browser: People, api, people
):
    """Maya sends before the conversation's first page has come back; that page, read
    before her message was stored, must not wipe the stored message off her screen."""
    maya_user, theo_user = people[0], people[1]
    conversation = api.start(maya_user, theo_user)
    maya = people_in_browser.sign_in(maya_user).live()
    stale_pages = []

    def hold_the_first_page(route):
        if route.request.method == "GET" and not stale_pages:
            stale_pages.append((route, route.fetch()))  # answered now, handed over later
        else:
            route.continue_()

    maya.page.route("**/api/v1/conversations/*/messages*", hold_the_first_page)
    maya.open_conversation("Theo")
    for _ in range(300):  # route handlers run while Playwright waits, not while Python sleeps
        if stale_pages:
            break
        maya.page.wait_for_timeout(100)
    assert stale_pages, "the conversation's first page was never asked for"
    maya.send("sent before the history came")
    expect(maya.message("sent before the history came")).to_have_count(1)
    expect(maya.message("sent before the history came")).not_to_contain_text("Sending")
    assert bodies(api, maya_user, conversation) == ["sent before the history came"]
    route, page = stale_pages[0]
    route.fulfill(response=page)
    expect(maya.message("sent before the history came")).to_contain_text("Sent")
    expect(maya.message("sent before the history came")).to_have_count(1)


def test_typing_shows_and_goes(people_in_browser: People, api, people):
    """While Theo types Maya reads "Theo is typing…"; it goes when he clears the box or sends."""
    maya_user, theo_user = people[0], people[1]
    api.start(maya_user, theo_user)
    maya = people_in_browser.sign_in(maya_user).live()
    theo = people_in_browser.sign_in(theo_user).live()
    maya.open_conversation("Theo")
    theo.open_conversation("Maya")
    indicator = maya.panel().get_by_role("status").filter(has_text="typing")
    box = theo.panel().get_by_role("textbox", name="Write a message")
    box.press_sequentially("one sec")
    expect(indicator).to_have_text("Theo is typing…")
    box.fill("")
    box.press("Backspace")
    expect(indicator).to_have_count(0)
    box.press_sequentially("ok here")
    expect(indicator).to_have_text("Theo is typing…")
    theo.panel().get_by_role("button", name="Send").click()
    expect(maya.message("ok here")).to_be_visible()
    expect(indicator).to_have_count(0)


def test_typing_stays_on_while_keys_keep_coming(people_in_browser: People, api, people):
    """The typist renews `start` every ~3 s, so the server's 6 s expiry never sends a
    `stop` while Theo keeps typing: Maya's indicator stays on for the whole 9 s."""
    maya_user, theo_user = people[0], people[1]
    api.start(maya_user, theo_user)
    maya = people_in_browser.sign_in(maya_user).live()
    theo = people_in_browser.sign_in(theo_user).live()
    maya.open_conversation("Theo")
    theo.open_conversation("Maya")
    box = theo.panel().get_by_role("textbox", name="Write a message")
    box.press_sequentially("h")
    indicator = maya.panel().get_by_role("status").filter(has_text="typing")
    expect(indicator).to_have_text("Theo is typing…")
    # Record, in Maya's page, any moment the indicator goes blank from here on.
    maya.page.evaluate("""() => {
      const region = [...document.querySelectorAll('.typing')][0];
      window.__typingGone = 0;
      new MutationObserver(() => { if (!region.textContent) window.__typingGone += 1; })
        .observe(region, {childList: true, subtree: true, characterData: true});
    }""")
    box.press_sequentially("mm, let me think", delay=600)
    expect(indicator).to_have_text("Theo is typing…")
    assert maya.page.evaluate("window.__typingGone") == 0


def test_an_offline_send_offers_retry_which_stores_it_once(people_in_browser: People, api, people):
    """Sent while offline, a message stays marked "Not sent" with Retry; Retry after the
    network is back stores it exactly once (same client_id) and Theo gets it once."""
    maya_user, theo_user = people[0], people[1]
    dm = api.start(maya_user, theo_user)
    theo = people_in_browser.sign_in(theo_user).live()
    maya = people_in_browser.sign_in(maya_user).live()
    maya.open_conversation("Theo")
    maya.context.set_offline(True)
    maya.send("are you there?")
    failed = maya.message("are you there?")
    expect(failed).to_contain_text("Not sent")
    expect(failed.get_by_role("button", name="Retry")).to_be_visible()
    assert bodies(api, maya_user, dm) == []
    maya.context.set_offline(False)
    failed.get_by_role("button", name="Retry").click()
    expect(maya.message("are you there?")).to_contain_text(re.compile("Sent|Delivered"))
    expect(maya.panel().get_by_role("button", name="Retry")).to_have_count(0)
    assert bodies(api, maya_user, dm) == ["are you there?"]
    theo.open_conversation("Maya")
    expect(theo.message("are you there?")).to_have_count(1)
    expect(maya.message("are you there?")).to_have_count(1)


def test_a_group_of_three(people_in_browser: People, api, people):
    """New message: people you follow come first; two picks and a title make a group;
    both others get it live, and Maya sees "Seen by 1", then "Seen by 2"."""
    maya_user, theo_user, eve_user = people
    api.follow(maya_user, theo_user)
    theo = people_in_browser.sign_in(theo_user).live()
    eve = people_in_browser.sign_in(eve_user).live()
    maya = people_in_browser.sign_in(maya_user).live()
    panel = maya.open_panel()
    panel.get_by_role("button", name="New message").click()
    people_list = panel.get_by_role("list", name="People").get_by_role("button")
    expect(people_list.first).to_have_accessible_name(re.compile("^Theo"))
    search = panel.get_by_role("searchbox", name="Search people")
    search.fill("e")
    expect(panel.get_by_text("Type at least 2 characters to search.")).to_be_visible()
    expect(people_list).to_have_count(0)
    search.fill("")
    people_list.filter(has_text="Theo").click()
    search.fill("ev")
    expect(people_list).to_have_count(1)
    people_list.filter(has_text="Eve").click()
    panel.get_by_role("textbox", name="Group name (optional)").fill("Beat swap")
    panel.get_by_role("button", name="Create group with 2 people").click()
    expect(panel.get_by_role("heading", name="Beat swap")).to_be_visible()
    maya.send("welcome to the swap")
    expect(theo.button("Messages, 1 unread")).to_be_visible()
    expect(eve.button("Messages, 1 unread")).to_be_visible()
    expect(maya.message("welcome to the swap")).to_contain_text("Delivered")
    theo.open_conversation("Beat swap")
    expect(maya.message("welcome to the swap")).to_contain_text("Seen by 1")
    eve.open_conversation("Beat swap")
    expect(maya.message("welcome to the swap")).to_contain_text("Seen by 2")
    expect(eve.message("welcome to the swap")).to_contain_text("Maya")


def test_new_message_to_one_person_reuses_the_dm(people_in_browser: People, api, people):
    """Picking someone you already have a DM with opens that DM, not a second one."""
    maya_user, theo_user = people[0], people[1]
    dm = api.start(maya_user, theo_user)
    api.send(theo_user, dm, "old news")
    maya = people_in_browser.sign_in(maya_user)
    panel = maya.open_panel()
    panel.get_by_role("button", name="New message").click()
    panel.get_by_role("searchbox", name="Search people").fill("th")
    panel.get_by_role("list", name="People").get_by_role("button").filter(has_text="Theo").click()
    panel.get_by_role("button", name="Message Theo").click()
    expect(maya.message("old news")).to_be_visible()
    assert [c["id"] for c in api.get("/api/v1/conversations", maya_user)["items"]] == [dm["id"]]


def test_mark_unread_then_delete_and_it_comes_back(people_in_browser: People, api, people):
    """Mark as unread counts it again; Delete hides it; a new message brings it back, unread."""
    maya_user, theo_user = people[0], people[1]
    dm = api.start(theo_user, maya_user)
    api.send(theo_user, dm, "first")
    maya = people_in_browser.sign_in(maya_user).live()
    expect(maya.button("Messages, 1 unread")).to_be_visible()
    panel = maya.open_conversation("Theo")
    expect(maya.messages_button()).to_have_accessible_name("Messages")
    panel.get_by_role("button", name="Conversation options").click()
    panel.get_by_role("menuitem", name="Mark as unread").click()
    expect(maya.conversation_row("Theo")).to_have_accessible_name("Theo, marked unread")
    expect(maya.button("Messages, 1 unread")).to_be_visible()
    maya.conversation_row("Theo").click()
    panel.get_by_role("button", name="Conversation options").click()
    menu = panel.get_by_role("menu", name="Conversation options")
    expect(menu.get_by_role("menuitem")).to_have_text(
        ["Mark as unread", "Follow Theo", "Delete conversation", "Report Theo", "Block Theo"]
    )
    menu.get_by_role("menuitem", name="Delete conversation").click()
    expect(maya.conversation_row("Theo")).to_have_count(0)
    # The row goes first (on screen before the server answers); then the server agrees.
    wait_until(lambda: api.get("/api/v1/conversations", maya_user)["items"] == [])
    api.send(theo_user, dm, "you there?")
    expect(maya.conversation_row("Theo")).to_have_accessible_name("Theo, 1 unread")
    expect(maya.button("Messages, 1 unread")).to_be_visible()


def test_menu_follows_reports_and_blocks(people_in_browser: People, api, people):
    """From the menu: Follow Theo (then Unfollow Theo), Report Theo, Block Theo — after the
    block Maya cannot reply and Theo's messages are refused."""
    maya_user, theo_user = people[0], people[1]
    dm = api.start(theo_user, maya_user)
    api.send(theo_user, dm, "hey")
    maya = people_in_browser.sign_in(maya_user)
    panel = maya.open_conversation("Theo")
    options = panel.get_by_role("button", name="Conversation options")
    options.click()
    panel.get_by_role("menuitem", name="Follow Theo").click()
    # The saved follow re-renders the conversation (and its menu): reopen after it.
    wait_until(
        lambda: api.get(f"/api/v1/users/{theo_user['id']}", maya_user)["relationship"]["following"]
    )
    options.click()
    expect(panel.get_by_role("menuitem", name="Unfollow Theo")).to_be_visible()
    maya.page.keyboard.press("Escape")
    expect(options).to_be_focused()
    options.click()
    panel.get_by_role("menuitem", name="Report Theo").click()
    report = maya.page.get_by_role("dialog", name="Report Theo")
    report.get_by_role("radio", name="Harassment").check()
    report.get_by_role("button", name="Send report").click()
    expect(maya.page.get_by_role("status").filter(has_text="reported")).to_be_visible()
    options.click()
    panel.get_by_role("menuitem", name="Block Theo").click()
    maya.page.get_by_role("dialog", name="Block Theo?").get_by_role("button", name="Block").click()
    expect(panel.get_by_role("textbox", name="Write a message")).to_be_disabled()
    profile = api.get(f"/api/v1/users/{theo_user['id']}", maya_user)
    assert profile["relationship"] == {
        "following": False,
        "followed_by": False,
        "blocking": True,
        "is_self": False,
    }
    refused = api.client.post(
        f"/api/v1/conversations/{dm['id']}/messages",
        json={"client_id": "after-block", "body": "hello?"},
        headers=api.headers_for(theo_user),
    )
    assert refused.status_code == 403


def test_a_lost_resume_refetches_the_list_and_the_badge(
    people_in_browser: People, api, app, people
):
    """When the events missed while offline are no longer kept, the server says
    resync.required and the page fetches its list and badge again instead of going stale."""
    maya_user, theo_user = people[0], people[1]
    dm = api.start(theo_user, maya_user)
    maya = people_in_browser.sign_in(maya_user).live()
    maya.open_panel()
    api.send(theo_user, dm, "before")
    expect(maya.conversation_row("Theo")).to_have_accessible_name("Theo, 1 unread")
    maya.context.set_offline(True)
    expect(maya.page.get_by_role("img", name="Offline")).to_be_visible()
    api.send(theo_user, dm, "while you were away")
    # As if Maya's stream had been trimmed past her last event id: what follows it is lost.
    relay = app.extensions["beatgraph.relay"]
    relay.redis.delete(relay.stream_key(maya_user["id"]))
    api.send(theo_user, dm, "and again")
    maya.context.set_offline(False)
    maya.live()
    expect(maya.conversation_row("Theo")).to_have_accessible_name("Theo, 3 unread")
    expect(maya.panel().get_by_text("and again")).to_be_visible()


def test_back_online_the_missed_messages_arrive(people_in_browser: People, api, people):
    """Messages sent while Maya was offline reach her page when it is back, once each:
    replayed from her last event id, or refetched when she had none to resume from."""
    maya_user, theo_user = people[0], people[1]
    dm = api.start(theo_user, maya_user)
    maya = people_in_browser.sign_in(maya_user).live()
    panel = maya.open_conversation("Theo")
    maya.context.set_offline(True)
    expect(maya.page.get_by_role("img", name="Offline")).to_be_visible()
    api.send(theo_user, dm, "first while away")
    maya.context.set_offline(False)
    expect(maya.message("first while away")).to_have_count(1)
    maya.context.set_offline(True)
    expect(maya.page.get_by_role("img", name="Offline")).to_be_visible()
    api.send(theo_user, dm, "second while away")
    maya.context.set_offline(False)
    expect(maya.message("second while away")).to_have_count(1)
    expect(panel.get_by_role("listitem")).to_have_count(2)
