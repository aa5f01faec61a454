"""HW2 P7 (``twolayerSGD.py``): a two-layer sigmoid network fitted by single-sample SGD in
NumPy.

    f_theta(x) = sum_{j=1}^{50} u_j sigma(a_j x + b_j),   theta = (a, b, u)  (150 values)

fitted to f*(x) = (x - 2) cos(4x) by SGD on (1/2)(f_theta(X_i) - Y_i)^2:
theta <- theta - alpha (f_theta(X_i) - Y_i) grad_theta f_theta(X_i), with the HW2 P6 gradient
(:func:`mfdnn.models.shallow.two_layer_gradient`).

Draws, in order (legacy NumPy, seed 0): a = normal(0, 4, 50), b = normal(0, 4, 50),
u = normal(0, 0.05, 50), X = randn(30) (Y = f*(X)); then each of the K = 10,000 iterations
draws i = randint(30). alpha = 0.007. The figure shows the data, f* on 1024 points of [-2, 2]
and f_theta after 2000, 4000, ..., 10,000 iterations: the fit is good where the data are
dense and poor near x = -2, where there are few samples.

metrics.json:
  train_loss          mean over the 30 training points of (1/2)(f_theta(X_i) - Y_i)^2 at the end
  train_loss_initial  the same at theta^0
  train_loss_curve    the same after 2000, 4000, ... iterations
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.data.synthetic.curves import f_star
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.models.shallow import two_layer_f, two_layer_gradient
from mfdnn.optim.finite_sum import run_sgd, single_sample
from mfdnn.plotting import plt

ALL_PROFILES = ("quick", "laptop", "full")


@dataclass
class Config:
    width: int = 50
    a_std: float = 4.0
    b_std: float = 4.0
    u_std: float = 0.05
    N: int = 30
    lr: float = 0.007
    iterations: int = 10000
    plot_every: int = 2000


def half_squared_error(theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> float:
    return float(np.mean((two_layer_f(theta, X) - Y) ** 2) / 2)


@experiment(
    "hw2-two-layer-sgd",
    title="Two-layer sigmoid network fitted to (x - 2) cos(4x) by single-sample SGD",
    group="HW2",
    config=Config,
    metrics=("train_loss", "train_loss_initial"),
    quick={},
    quick_note="the course's settings (the run takes about a second)",
    claims=(
        Claim("train_loss", "<", "train_loss_initial", "HOMEWORK.md HW2 P7: the curves "
              "approach f*", profiles=ALL_PROFILES),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    a = rng.normal(0, cfg.a_std, cfg.width)
    b = rng.normal(0, cfg.b_std, cfg.width)
    u = rng.normal(0, cfg.u_std, cfg.width)
    X = rng.randn(cfg.N)
    Y = f_star(X)
    theta0 = np.concatenate([a, b, u])

    def gradient(theta: np.ndarray, i: int) -> np.ndarray:
        """(f_theta(X_i) - Y_i) grad_theta f_theta(X_i): the gradient of (1/2)(f - Y_i)^2."""
        return (two_layer_f(theta, X[i]) - Y[i]) * two_layer_gradient(theta, X[i])

    theta, snapshots = run_sgd(gradient, theta0, cfg.lr, single_sample(rng, cfg.N),
                               cfg.iterations, monitor=np.copy, every=cfg.plot_every)
    losses = [half_squared_error(t, X, Y) for t in snapshots]
    ctx.print(f"mean (1/2) squared residual: {losses[0]:.4f} -> {losses[-1]:.4f}")

    grid = np.linspace(-2, 2, 1024)
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.plot(X, Y, "rx", ms=8, label="data")
    ax.plot(grid, f_star(grid), "k-", lw=2, label="f*(x) = (x - 2) cos(4x)")
    colours = plt.cm.viridis(np.linspace(0.1, 0.9, len(snapshots) - 1))
    for k, (t, colour) in enumerate(zip(snapshots[1:], colours, strict=True), start=1):
        ax.plot(grid, two_layer_f(t, grid), color=colour, lw=1,
                label=f"f_theta, {k * cfg.plot_every} iterations")
    ax.set_xlim(-2, 2)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("two-layer network trained by SGD")
    ax.legend(fontsize=8)
    ctx.savefig(fig, "fit")
    return {"train_loss": losses[-1], "train_loss_initial": losses[0],
            "train_loss_curve": losses[1:]}
