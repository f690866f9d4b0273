"""Each socket has a frame budget: over it an `error` frame with status 429, and a 1008
close when the flood goes on."""

import contextlib
import json

from websockets.exceptions import ConnectionClosed

from realtime.budget import FrameBudget, Verdict
from tests.served import REALTIME_TEST_SETTINGS, ServedApp
from tests.sockets import close_code, next_frame, open_socket

PONG = json.dumps({"type": "pong"})


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_allows_a_burst_then_the_rate():
    """`burst` frames pass at once; after that, `rate` per second."""
    clock = Clock()
    budget = FrameBudget(rate=2, burst=3, strikes=10, clock=clock)
    assert [budget.take() for _ in range(4)] == [Verdict.ACCEPT] * 3 + [Verdict.REFUSE]
    clock.now += 1.0
    assert [budget.take() for _ in range(3)] == [Verdict.ACCEPT] * 2 + [Verdict.REFUSE]


def test_refused_frames_past_the_strikes_close_and_time_forgives_them():
    """More refused frames than `strikes` means close; one strike is forgiven per second."""
    clock = Clock()
    budget = FrameBudget(rate=1, burst=2, strikes=2, clock=clock)
    assert [budget.take() for _ in range(4)] == [Verdict.ACCEPT] * 2 + [Verdict.REFUSE] * 2
    clock.now += 2.0  # two strikes forgiven, and two frames earned
    assert [budget.take() for _ in range(5)] == (
        [Verdict.ACCEPT] * 2 + [Verdict.REFUSE] * 2 + [Verdict.CLOSE]
    )


def _served(app_config, **budget):
    settings = dict(
        REALTIME_TEST_SETTINGS,
        **{f"BEATGRAPH_WS_FRAME_{key.upper()}": str(value) for key, value in budget.items()},
    )
    return ServedApp(app_config, settings)


def test_frames_over_the_budget_get_429_error_frames_and_the_socket_lives_on(
    app, app_config, api, people
):
    """Ten frames at once against a burst of 3 at 1/s: the extra ones are answered with
    `error` 429, and the socket still delivers events afterwards."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    server = _served(app_config, rate=1, burst=3, strikes=1000)
    try:
        with open_socket(app, server, theo) as ws:
            for _ in range(10):
                ws.send(PONG)
            refusals = [next_frame(ws, "error") for _ in range(5)]
            assert {frame["data"]["status"] for frame in refusals} == {429}
            api.send(maya, dm, "still here")
            assert next_frame(ws, "message.created")["data"]["body"] == "still here"
    finally:
        server.stop()


def test_a_sustained_flood_closes_the_socket_with_1008(app, app_config, people):
    """A client that keeps sending past its budget and its strikes is closed (1008)."""
    server = _served(app_config, rate=1, burst=2, strikes=3)
    try:
        with open_socket(app, server, people[0]) as ws:
            with contextlib.suppress(ConnectionClosed):  # the close may overtake the sends
                for _ in range(20):
                    ws.send(PONG)
            assert close_code(ws) == 1008
    finally:
        server.stop()
