"""HW1 P4 (``wideMinima.py``): gradient descent prefers wide minima.

With s(theta) = 1 / (1 + exp(-3(theta - 3))),

    f(theta) = (1 - s) * 10 theta^2 + s * ((theta - 10)^2 / 2 + 50)

has a sharp global minimum near 0 (curvature ~20: GD is stable there only for alpha < 0.1)
and a wide local minimum near 10 (curvature ~1: stable for alpha < 2). From 20 starts
theta0 ~ U[-5, 20] per step size, 1000 GD steps theta <- theta - alpha f'(theta):
alpha = 0.01 ends in either minimum, alpha = 0.3 only in the wide one, alpha = 4 diverges.

The starter sets no seed; we use legacy NumPy seed 0 and draw the 20 starts of each step
size in the order of ``lrs``.

metrics.json:
  runs          [{"lr", "sharp", "wide", "diverged"}]: fractions of the starts per step size
  sharp_min, wide_min   the two minimisers, located numerically
  limits        per step size, the final iterates (non-finite ones reported as "diverged")
  {sharp,wide,diverged}_fraction_alpha_{lr}   the fractions of ``runs`` as numbers, e.g.
                wide_fraction_alpha_0_3 for alpha = 0.3 (numbers, for the claims)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.plotting import plt

ALL_PROFILES = ("quick", "laptop", "full")


@dataclass
class Config:
    lrs: tuple[float, ...] = (0.01, 0.3, 4.0)
    starts: int = 20
    iterations: int = 1000
    low: float = -5.0
    high: float = 20.0


def _s(theta: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-3 * (theta - 3)))


def f(theta: np.ndarray) -> np.ndarray:
    """f = (1 - s) 10 theta^2 + s ((theta - 10)^2 / 2 + 50)."""
    s = _s(theta)
    return (1 - s) * 10 * theta**2 + s * ((theta - 10) ** 2 / 2 + 50)


def f_prime(theta: np.ndarray) -> np.ndarray:
    """f' = s' (wide - sharp) + (1 - s) 20 theta + s (theta - 10), with s' = 3 s (1 - s)."""
    s = _s(theta)
    ds = 3 * s * (1 - s)
    sharp, wide = 10 * theta**2, (theta - 10) ** 2 / 2 + 50
    return ds * (wide - sharp) + (1 - s) * 20 * theta + s * (theta - 10)


def f_second(theta: np.ndarray, h: float = 1e-5) -> np.ndarray:
    return (f_prime(theta + h) - f_prime(theta - h)) / (2 * h)


def minimisers() -> tuple[float, float]:
    """The sharp and the wide minimiser: grid search, then Newton steps on f'."""
    grid = np.linspace(-5, 20, 250001)
    values = f(grid)
    found = []
    for lo, hi in ((-5.0, 3.0), (3.0, 20.0)):
        mask = (grid >= lo) & (grid <= hi)
        theta = grid[mask][np.argmin(values[mask])]
        for _ in range(50):
            theta -= f_prime(theta) / f_second(theta)
        found.append(float(theta))
    return found[0], found[1]


def descend(theta0: np.ndarray, lr: float, iterations: int) -> np.ndarray:
    """GD from all starts at once; overflow to inf/nan is expected for large lr."""
    theta = theta0.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(iterations):
            theta = theta - lr * f_prime(theta)
    return theta


def classify(limits: np.ndarray, sharp: float, wide: float) -> dict[str, float]:
    finite = np.isfinite(limits)
    near_sharp = finite & (np.abs(limits - sharp) <= np.abs(limits - wide))
    n = len(limits)
    return {"sharp": float(near_sharp.sum() / n),
            "wide": float((finite & ~near_sharp).sum() / n),
            "diverged": float((~finite).sum() / n)}


@experiment(
    "hw1-wide-minima",
    title="Gradient descent from random starts prefers wide minima",
    group="HW1",
    config=Config,
    metrics=("runs", "sharp_min", "wide_min", "limits", "sharp_fraction_alpha_0_01",
             "wide_fraction_alpha_0_01", "wide_fraction_alpha_0_3",
             "diverged_fraction_alpha_4"),
    quick={},
    quick_note="the course's settings (the run takes well under a second)",
    claims=(
        Claim("sharp_min", "within", 0.0, "HOMEWORK.md HW1 P4: sharp minimum near 0",
              profiles=ALL_PROFILES, tolerance=0.05),
        Claim("wide_min", "within", 10.0, "HOMEWORK.md HW1 P4: wide minimum near 10",
              profiles=ALL_PROFILES, tolerance=0.05),
        Claim("sharp_fraction_alpha_0_01", ">", 0, "HOMEWORK.md HW1 P4: alpha = 0.01 ends in "
              "either minimum", profiles=ALL_PROFILES),
        Claim("wide_fraction_alpha_0_01", ">", 0, "HOMEWORK.md HW1 P4: alpha = 0.01 ends in "
              "either minimum", profiles=ALL_PROFILES),
        Claim("wide_fraction_alpha_0_3", "within", 1.0, "HOMEWORK.md HW1 P4: alpha = 0.3, "
              "every start ends at the wide minimum", profiles=ALL_PROFILES, tolerance=0),
        Claim("diverged_fraction_alpha_4", ">=", 0.9, "HOMEWORK.md HW1 P4: alpha = 4 diverges "
              "for essentially all starts", profiles=ALL_PROFILES),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    sharp, wide = minimisers()
    runs, limits = [], {}
    markers = ["o", "x", "s", "^", "v"]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    grid = np.linspace(cfg.low, cfg.high, 100)
    ax.plot(grid, f(grid), "k-", label="f")
    for i, lr in enumerate(cfg.lrs):
        theta0 = rng.uniform(cfg.low, cfg.high, cfg.starts)
        theta = descend(theta0, lr, cfg.iterations)
        runs.append({"lr": lr, **classify(theta, sharp, wide)})
        limits[str(lr)] = [float(t) if np.isfinite(t) else "diverged" for t in theta]
        ok = np.isfinite(theta)
        if ok.any():
            ax.plot(theta[ok], f(theta[ok]), markers[i % len(markers)], ms=9, mfc="none",
                    label=f"limits, alpha={lr}")
        if not ok.all():
            ax.plot([], [], " ", label=f"alpha={lr}: {(~ok).sum()} of {len(ok)} diverged")
        ctx.print(f"alpha={lr}: " + ", ".join(f"{k} {v:.2f}" for k, v in runs[-1].items()
                                           if k != "lr"))
    ax.set_xlabel("theta")
    ax.set_ylabel("f(theta)")
    ax.set_title("GD limit points: sharp minimum near 0, wide minimum near 10")
    ax.legend()
    ctx.savefig(fig, "wide_minima")
    fractions = {f"{kind}_fraction_alpha_{run['lr']:g}".replace(".", "_"): run[kind]
                 for run in runs
                 for kind in ("sharp", "wide", "diverged")}  # alpha = 0.3: ..._alpha_0_3
    return {"runs": runs, "sharp_min": sharp, "wide_min": wide, "limits": limits, **fractions}
