"""What HW12 P3 (VAE) and P4 (GAN) share: the data, the density figure and the MMD metrics.

Data: one seeded call of ``make_swiss_roll(2000)`` for training (the official solutions
called it twice, once only for a plot), then 3,000 held-out points from the same stream
for the metric, then 3,000 draws of the Gaussian fitted to the training data (the trivial
baseline).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from mfdnn.data.synthetic.swiss_roll import make_swiss_roll
from mfdnn.experiments._rng import preserved_rng
from mfdnn.experiments.core.context import RunContext
from mfdnn.plotting import plt
from mfdnn.samples import kde_grid, mmd2

LIMITS = (-1.5, 1.5)


def swiss_roll_data(n: int, held_out: int, ctx: RunContext) -> dict[str, np.ndarray]:
    rng = ctx.numpy_rng()
    train = make_swiss_roll(n, rng)
    test = make_swiss_roll(held_out, rng)
    gaussian = rng.multivariate_normal(train.mean(0), np.cov(train.T), size=held_out)
    return {"train": train, "test": test, "gaussian": gaussian}


def snapshot_hook(sample: Callable[[], np.ndarray], every: int
                  ) -> tuple[Callable[[Any, float], dict[str, float]], dict[int, np.ndarray]]:
    """An ``evaluate`` hook for ``fit`` that keeps ``sample()`` every ``every`` epochs."""
    snapshots: dict[int, np.ndarray] = {}

    def hook(_model: Any, epoch: float) -> dict[str, float]:
        if epoch % every == 0:
            snapshots[int(epoch)] = sample()
        return {}

    return hook, snapshots


def density_figure(ctx: RunContext, data: np.ndarray, snapshots: dict[int, np.ndarray],
                   title: str) -> None:
    """Filled KDE contours (green on light), the training data first, then each snapshot."""
    panels = [("training data", data)] + [(f"epoch {e}", s) for e, s in snapshots.items()]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.3), squeeze=False)
    for ax, (label, points) in zip(axes[0], panels, strict=True):
        X, Y, density = kde_grid(points, LIMITS, size=120, bandwidth=0.06)
        ax.contourf(X, Y, density, levels=20, cmap="Greens")
        ax.set_xlim(*LIMITS)
        ax.set_ylim(*LIMITS)
        ax.set_aspect("equal")
        ax.set_title(label)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(title)
    ctx.savefig(fig, "density")


def initial_mmd(sample: Callable[[], np.ndarray], data: dict[str, np.ndarray],
                ctx: RunContext) -> float:
    """MMD^2 of the untrained model's samples to the held-out data. The random state is
    restored afterwards, so that training draws what it would have drawn without this."""
    with preserved_rng(ctx.device):
        return mmd2(sample(), data["test"])


def mmd_metrics(samples: np.ndarray, data: dict[str, np.ndarray]) -> dict[str, float]:
    return {"mmd": mmd2(samples, data["test"]),
            "mmd_gaussian_fit": mmd2(data["gaussian"], data["test"]),
            "mmd_train_data": mmd2(data["train"], data["test"])}


def to_tensor(a: np.ndarray, ctx: RunContext) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float32, device=ctx.device)
