"""Times as clients read them: ISO 8601 UTC, millisecond precision, a `Z`."""

from datetime import datetime

import pytest

from graph.values import iso

INSTANTS = [
    ("1970-01-01T00:00:00.000Z", 0),
    ("1969-12-31T23:59:59.999Z", -1),
    ("2000-02-29T23:59:59.999Z", 951_868_799_999),
    ("2026-12-06T15:04:05.007Z", 1_796_569_445_007),
    ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
]


@pytest.mark.parametrize(("shown", "epoch_millis"), INSTANTS)
def test_a_time_read_as_epoch_milliseconds_reads_as_the_same_datetime(shown, epoch_millis):
    """Hot statements return `epochMillis`; others a datetime: one instant, one string."""
    as_datetime = datetime.fromisoformat(shown)
    assert as_datetime.timestamp() * 1000 == pytest.approx(epoch_millis, abs=0.5)
    assert iso(epoch_millis) == shown
    assert iso(as_datetime) == shown
