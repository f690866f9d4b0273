"""A socket's frame budget: a token bucket (a rate per second with a burst), and strikes
for refused frames, one forgiven per second. A client a little over its budget is told
(an `error` frame, status 429); one that keeps flooding is closed (1008)."""

import enum
import time
from collections.abc import Callable


class Verdict(enum.Enum):
    """What to do with one client frame."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    CLOSE = "close"


class FrameBudget:
    """Not shared: each socket's own thread (or greenlet) asks it about its own frames."""

    def __init__(
        self, rate: float, burst: int, strikes: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.strikes = strikes
        self._clock = clock
        self._tokens = float(burst)
        self._strikes_left = float(strikes)
        self._at = clock()

    def take(self) -> Verdict:
        """Spend one frame: accepted while tokens last; refused (a strike) after that;
        close once more frames were refused than `strikes` allows."""
        now = self._clock()
        elapsed, self._at = now - self._at, now
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
        self._strikes_left = min(self.strikes, self._strikes_left + elapsed)
        if self._tokens >= 1:
            self._tokens -= 1
            return Verdict.ACCEPT
        self._strikes_left -= 1
        return Verdict.REFUSE if self._strikes_left >= 0 else Verdict.CLOSE
