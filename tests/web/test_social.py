"""Follows, profiles, producer pages, Your artists, the bell and its preferences, in Chromium."""

import re

from playwright.sync_api import expect

from tests.browser import People


def test_follow_becomes_unfollow_only_once_saved(people_in_browser: People, people):
    """Follow shows busy until the follow is saved, then Unfollow; the other side sees it live."""
    maya_user, theo_user = people[0], people[1]
    theo = people_in_browser.sign_in(theo_user).live()
    maya = people_in_browser.sign_in(maya_user, path=f"/users/{theo_user['id']}")
    held = []
    maya.page.route("**/api/v1/users/*/follow", lambda route: held.append(route))
    maya.button("Follow").click()
    expect(maya.button("Follow")).to_have_attribute("aria-busy", "true")
    expect(maya.button("Follow")).to_be_disabled()
    expect(maya.button("Unfollow")).to_have_count(0)
    held[0].continue_()
    expect(maya.button("Unfollow")).to_be_enabled()
    expect(maya.page.get_by_role("link", name="1 followers")).to_be_visible()
    expect(theo.button("Notifications, 1 unread")).to_be_visible()
    theo.go(f"/users/{maya_user['id']}")
    expect(theo.page.get_by_text("Follows you")).to_be_visible()
    maya.page.unroute("**/api/v1/users/*/follow")
    maya.button("Unfollow").click()
    expect(maya.button("Follow")).to_be_enabled()
    expect(maya.page.get_by_role("link", name="0 followers")).to_be_visible()


def test_a_refused_follow_reverts_with_a_message(people_in_browser: People, api, people):
    """When the server refuses (a block), the button stays Follow and says why."""
    maya_user, theo_user = people[0], people[1]
    maya = people_in_browser.sign_in(maya_user, path=f"/users/{theo_user['id']}")
    expect(maya.button("Follow")).to_be_visible()
    api.block(theo_user, maya_user)
    maya.button("Follow").click()
    expect(maya.page.get_by_role("alert")).to_contain_text("cannot follow")
    expect(maya.button("Follow")).to_be_enabled()
    assert api.get(f"/api/v1/users/{theo_user['id']}", maya_user)["followers_count"] == 0


def test_own_profile_has_no_follow_button(people_in_browser: People, people):
    """On your own profile there is nothing to follow."""
    maya = people_in_browser.sign_in(people[0], path=f"/users/{people[0]['id']}")
    expect(maya.page.get_by_role("heading", name="Maya", exact=True)).to_be_visible()
    expect(maya.page.get_by_role("tab", name="Followers")).to_be_visible()
    expect(maya.button("Follow")).to_have_count(0)
    expect(maya.button("Message")).to_have_count(0)


def test_profile_tabs_scroll_endlessly_and_the_back_button_works(
    people_in_browser: People, api, people
):
    """Followers load page after page as you scroll; each row has its own Follow state;
    tabs are in the URL and Back returns to the previous one."""
    maya_user, theo_user = people[0], people[1]
    fans = [api.create_user(f"fan{number:02d}", f"Fan {number:02d}") for number in range(25)]
    for fan in fans:
        api.follow(fan, theo_user)
    api.follow(maya_user, fans[0])
    maya = people_in_browser.sign_in(maya_user, path=f"/users/{theo_user['id']}?tab=followers")
    followers = maya.page.get_by_role("list", name="Followers").get_by_role("listitem")
    expect(followers).to_have_count(20)
    followers.last.scroll_into_view_if_needed()
    expect(followers).to_have_count(25)
    expect(maya.button("Unfollow Fan 00")).to_be_visible()
    expect(maya.button("Follow Fan 01")).to_be_visible()
    maya.page.get_by_role("tab", name="Following").click()
    expect(maya.page).to_have_url(re.compile(r"\?tab=following$"))
    expect(maya.page.get_by_text("Not following anyone yet.")).to_be_visible()
    maya.page.go_back()
    followers_tab = maya.page.get_by_role("tab", name="Followers")
    expect(followers_tab).to_have_attribute("aria-selected", "true")
    expect(followers.first).to_be_visible()


def test_liking_a_producer_follows_them(people_in_browser: People, api, people):
    """The heart reads Follow, then Following (pressed); Your artists counts the liked artist."""
    producer = api.create_producer("nightshift", "Nightshift")
    maya = people_in_browser.sign_in(people[0], path=f"/producers/{producer['id']}")
    heart = maya.button("Follow")
    expect(heart).to_have_attribute("aria-pressed", "false")
    heart.click()
    following = maya.button("Following")
    expect(following).to_have_attribute("aria-pressed", "true")
    expect(maya.page.get_by_role("list", name="Followers").get_by_role("listitem")).to_have_text(
        re.compile("Maya")
    )
    maya.page.get_by_role("link", name="Your artists").first.click()
    # The API's label, singular for one ("3 liked artists" for three).
    expect(maya.page.get_by_text("1 liked artist", exact=True)).to_be_visible()
    expect(maya.page.get_by_role("link", name=re.compile("^Nightshift"))).to_be_visible()
    maya.go(f"/users/{people[0]['id']}?tab=liked")
    expect(maya.page.get_by_role("list", name="Liked Producers")).to_contain_text("Nightshift")


def test_message_button_only_on_claimed_pages_and_opens_the_dm(
    people_in_browser: People, api, people
):
    """A claimed producer page has Message, which opens the DM with its owner in the panel."""
    maya_user, theo_user = people[0], people[1]
    claimed = api.create_producer("theo-keys", "Theo Keys Beats", user_id=theo_user["id"])
    unclaimed = api.create_producer("nightshift", "Nightshift")
    maya = people_in_browser.sign_in(maya_user, path=f"/producers/{unclaimed['id']}")
    expect(maya.button("Follow")).to_be_visible()
    expect(maya.button("Message")).to_have_count(0)
    maya.go(f"/producers/{claimed['id']}")
    maya.button("Message").click()
    panel = maya.panel()
    expect(panel.get_by_role("heading", name="Theo")).to_be_visible()
    maya.live()
    maya.send("love the new pack")
    expect(maya.message("love the new pack")).to_contain_text("Sent")
    conversations = api.get("/api/v1/conversations", theo_user)["items"]
    assert [c["last_message"]["body"] for c in conversations] == ["love the new pack"]


def test_bell_lists_notifications_and_preferences_save(people_in_browser: People, api, people):
    """The bell counts and lists a new follower; a preference switch is saved and kept."""
    maya_user, theo_user = people[0], people[1]
    api.follow(theo_user, maya_user)
    maya = people_in_browser.sign_in(maya_user)
    maya.button("Notifications, 1 unread").click()
    bell = maya.page.get_by_role("dialog", name="Notifications")
    bell.get_by_role("button", name=re.compile("Theo started following you")).click()
    expect(maya.page).to_have_url(re.compile(f"/users/{theo_user['id']}$"))
    expect(maya.button("Notifications")).to_be_visible()
    maya.go("/settings/notifications")
    switch = maya.page.get_by_role("checkbox", name="Direct messages: Email")
    expect(switch).to_be_checked()
    switch.uncheck()
    expect(maya.page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    maya.page.reload()
    expect(maya.page.get_by_role("checkbox", name="Direct messages: Email")).not_to_be_checked()
    expect(maya.page.get_by_role("checkbox", name="Direct messages: In-app")).to_be_checked()
    prefs = api.get("/api/v1/me/notification-preferences", maya_user)
    assert prefs["direct_messages"] == {"in_app": True, "email": False, "push": True}
