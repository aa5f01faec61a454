"""The run context handed to every experiment's ``run(cfg, ctx)``.

It owns what is the same for all experiments: the seed, the device, the output folder,
figures, training (checkpoints, resume), notes for the manifest, and what is printed.
"""

from __future__ import annotations

import dataclasses
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from mfdnn.data.files import atomic_write, cache_root
from mfdnn.train import settings
from mfdnn.train.checkpoint import Checkpoint
from mfdnn.train.loop import FitResult, config_fingerprint, fit


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's legacy global and torch's CPU (and CUDA) generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@dataclass
class RunContext:
    experiment: str
    profile: str
    seed: int
    device: torch.device
    out: Path
    resume: bool = False
    config: Any = None  # the run's config (what a checkpoint must match to resume)
    writes: bool = True  # False on the ranks other than 0 under torchrun
    figures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    substitutes: dict[str, str] = field(default_factory=dict)  # data set -> what was used

    # -- randomness -------------------------------------------------------------------------
    def numpy_rng(self, seed: int | None = None) -> np.random.RandomState:
        """A legacy-stream NumPy generator: ``RandomState(s)`` draws what ``np.random.seed(s)``
        followed by ``np.random.randn`` etc. draws, without global state."""
        return np.random.RandomState(self.seed if seed is None else seed)

    def reseed(self, offset: int = 0) -> None:
        """Re-seed torch's global generator as a fresh run of the course's script would."""
        torch.manual_seed(self.seed + offset)

    # -- outputs ----------------------------------------------------------------------------
    def savefig(self, fig: Any, name: str, dpi: int = 110) -> Path:
        """Save a matplotlib figure as ``<out>/<name>.png`` (atomically) and close it."""
        import matplotlib.pyplot as plt

        path = self.out / f"{name}.png"
        if not self.writes:
            plt.close(fig)
            return path
        with atomic_write(path) as f:
            fig.savefig(f, format="png", dpi=dpi, bbox_inches="tight")
        plt.close(fig)
        if path.name not in self.figures:
            self.figures.append(path.name)
        return path

    # -- training ---------------------------------------------------------------------------
    def checkpoint(self, tag: str = "train") -> Path:
        """Where the training loop keeps its per-epoch checkpoint for ``tag``."""
        return self.out / "checkpoints" / f"{tag}.pt"

    def fit(self, model: nn.Module, loss_fn: Callable[..., Tensor],
            optimizer: torch.optim.Optimizer, data: Sequence[Tensor], *,
            checkpoint: str | None = None, fingerprint: str | None = None, amp: bool = False,
            progress: bool = True, **options: Any) -> FitResult:
        """:func:`mfdnn.train.fit` within this run.

        ``checkpoint`` (a tag) keeps the training's state in ``<out>/checkpoints/<tag>.pt``
        after every epoch, and ``--resume`` continues from it if its ``fingerprint``
        matches (by default the run's config as JSON); None keeps no checkpoint.
        ``amp=True`` trains under bf16 autocast (where supported) even without ``--amp``;
        ``progress=False`` prints nothing for this training. ``options`` go to ``fit``.
        """
        saved = None
        if checkpoint is not None:
            if fingerprint is None:
                fingerprint = config_fingerprint(self.config or {})
            saved = Checkpoint(self.checkpoint(checkpoint), fingerprint, self.resume)
        run = settings.current()
        here = dataclasses.replace(run, amp=run.amp or amp, progress=run.progress and progress)
        with settings.use(here):  # the same stats object: the manifest counts this training
            return fit(model, loss_fn, optimizer, data, checkpoint=saved, **options)

    @property
    def artifacts(self) -> Path:
        """Shared cache of trained models that other experiments reuse (e.g. NICE)."""
        return cache_root() / "artifacts"

    def note(self, text: str) -> None:
        """A sentence for the manifest, e.g. which substitute data set was used."""
        self.notes.append(text)
        self.log(text)

    def substitute(self, wanted: str, used: str, why: str = "") -> None:
        """Record that data set ``used`` stands in for ``wanted`` (the manifest says so, and
        claims about ``wanted`` are not checked on this run)."""
        self.substitutes[wanted] = used
        self.note(why or f"{wanted} is not available: {used} is the substitute, so the "
                  "numbers differ from the course's")

    def print(self, text: str) -> None:
        """What the course's program prints (results), on stdout; rank 0 only."""
        if self.writes:
            print(text, flush=True)

    def log(self, text: str) -> None:
        if self.writes:
            print(f"[{self.experiment}] {text}", file=sys.stderr, flush=True)
