"""One table of notification types × channels (graph.notifications): the preferences API,
the notification schema and the rules all read it, so a type or channel cannot be added
in one place and forgotten in another."""

import typing

from api.schemas.notifications import (
    ChannelChanges,
    ChannelSwitches,
    Notification,
    PreferenceChanges,
    Preferences,
)
from cypher import Q
from graph.notifications import CHANNELS, OUTBOX_CHANNELS, PREFERENCE_OF_TYPE, PREFERENCES


def test_the_preferences_api_has_one_field_per_preference_and_channel():
    """GET and PUT /me/notification-preferences name exactly the table's preferences, each
    with exactly its channels."""
    assert tuple(Preferences.model_fields) == PREFERENCES
    assert tuple(PreferenceChanges.model_fields) == PREFERENCES
    assert tuple(ChannelSwitches.model_fields) == CHANNELS
    assert tuple(ChannelChanges.model_fields) == CHANNELS


def test_a_notification_is_one_of_the_tables_types():
    """The bell's `type` enum is the table's types."""
    kinds = typing.get_args(Notification.model_fields["type"].annotation)
    assert set(kinds) == set(PREFERENCE_OF_TYPE)


def test_the_outbox_rule_is_written_once():
    """Only queue_outbox_entries creates outbox entries, for a request's notification and
    an upload's fan-out alike, and the outbox channels are the table's channels other
    than in-app."""
    writers = sorted(q.name for q in Q.all() if "OutboxEntry {" in q.text and "CREATE" in q.text)
    assert writers == ["notifications.queue_outbox_entries"]
    assert set(OUTBOX_CHANNELS) == set(CHANNELS) - {"in_app"}
