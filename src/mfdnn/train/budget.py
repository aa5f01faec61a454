"""A time budget for training: stop before one more epoch would overrun it.

``fit(..., stop_when=TimeBudget(13))`` trains for as many whole epochs as fit in about 13
minutes counted from when the budget was made: after each epoch it stops if another epoch,
taking as long as the last one did (evaluation included), would end past the budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class TimeBudget:
    """``stop_when`` for :func:`mfdnn.train.fit`: a wall-clock budget in minutes."""

    def __init__(self, minutes: float, clock: Callable[[], float] = time.perf_counter) -> None:
        self.seconds = 60 * minutes
        self.clock = clock
        self.start = self.last = clock()

    def __call__(self, history: list[dict[str, Any]]) -> bool:
        now = self.clock()
        last_epoch, self.last = now - self.last, now  # since fit last asked
        return (now - self.start) + last_epoch > self.seconds
