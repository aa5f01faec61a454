"""The run context handed to every experiment's ``run(cfg, ctx)``.

It owns what is the same for all experiments: the seed, the device, the output folder,
figures, checkpoints, notes for the manifest, and progress output.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from mfdnn.data.files import atomic_write, cache_root


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
    progress: bool = True
    resume: bool = False
    writes: bool = True  # False on the ranks other than 0 under torchrun
    figures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

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

    def checkpoint(self, tag: str = "train") -> Path:
        """Where the training loop keeps its per-epoch checkpoint for ``tag``."""
        return self.out / "checkpoints" / f"{tag}.pt"

    @property
    def artifacts(self) -> Path:
        """Shared cache of trained models that other experiments reuse (e.g. NICE)."""
        return cache_root() / "artifacts"

    def note(self, text: str) -> None:
        """A sentence for the manifest, e.g. which substitute data set was used."""
        self.notes.append(text)
        self.log(text)

    def print(self, text: str) -> None:
        """What the course's program prints (results), on stdout; rank 0 only."""
        if self.writes:
            print(text, flush=True)

    def log(self, text: str) -> None:
        if self.writes:
            print(f"[{self.experiment}] {text}", file=sys.stderr, flush=True)
