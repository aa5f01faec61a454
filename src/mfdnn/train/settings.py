"""Run-wide training settings and statistics, set once by the runner for every ``fit`` call.

Flags that apply to all training in a run (mixed precision, ``torch.compile``, progress
output) would otherwise have to be threaded through every experiment. The runner enters
:func:`use` with the command line's choices; :func:`mfdnn.train.fit` reads them where its
own arguments are left at ``None``, and adds what it trained to :class:`TrainStats` for the
manifest (throughput, and peak memory measured by the runner).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class TrainStats:
    samples: int = 0  # training samples processed, summed over ranks
    seconds: float = 0.0  # training wall time (evaluation excluded)
    steps: int = 0

    @property
    def samples_per_second(self) -> float:
        return self.samples / self.seconds if self.seconds > 0 else 0.0


@dataclass
class TrainSettings:
    amp: bool = False  # bf16 autocast (CUDA, or a CPU with native bf16: see device.py)
    compile: bool = False  # torch.compile the model before training
    progress: bool = True
    stats: TrainStats = field(default_factory=TrainStats)


_current: ContextVar[TrainSettings | None] = ContextVar("mfdnn_train_settings", default=None)


def current() -> TrainSettings:
    """The settings of the enclosing run; defaults (stats discarded) outside a run."""
    return _current.get() or TrainSettings()


@contextlib.contextmanager
def use(settings: TrainSettings) -> Iterator[TrainSettings]:
    token = _current.set(settings)
    try:
        yield settings
    finally:
        _current.reset(token)
