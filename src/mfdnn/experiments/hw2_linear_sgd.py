"""HW2 P1-P2: logistic regression and a linear SVM trained by minibatch SGD in NumPy.

Data (legacy NumPy, seed 0; :func:`mfdnn.data.synthetic.classification.random_labels`):
N = 30, p = 20, X = randn(N, p) first (``layout=official``: randn(p, N), the solution's
samples-as-columns matrix), then Y = 2 randint(2, size=N) - 1, then theta^0 = randn(p).
Each of the 3000 iterations draws 15 indices with replacement (``randint(N, size=15)``) and
steps theta <- theta - alpha (mean of the 15 sample (sub)gradients), alpha = 0.01. The
objective is logged before the first step and after every step (3001 values).

* ``hw2-logistic-sgd``: (1/N) sum log(1 + exp(-Y_i X_i^T theta)). With p = 20 > N/2 random
  labels are almost surely separable, so the loss keeps falling toward 0 while ||theta|| grows:
  expected, not a bug.
* ``hw2-svm-sgd``: (1/N) sum max(0, 1 - Y_i X_i^T theta) + lambda ||theta||^2, lambda = 0.1.
  The run also counts how often a sampled term sits exactly on its kink 1 - m_i = 0 (a
  probability-zero event in floating point: expected never).

metrics.json (both):
  final_loss        the objective after the last step
  train_accuracy    fraction of the N points with sign(X_i^T theta) = Y_i
  initial_loss      the objective at theta^0
  theta_norm        ||theta|| at the end
metrics.json (``hw2-svm-sgd`` only):
  nondifferentiable_hits   sampled terms evaluated exactly at the kink
  trials                   sampled terms evaluated in all (iterations x batch size)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from mfdnn.data.synthetic.classification import random_labels
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.models.shallow import (
    hinge_loss,
    hinge_subgradient,
    logistic_gradient,
    logistic_loss,
    sign_accuracy,
)
from mfdnn.optim.finite_sum import run_sgd, with_replacement
from mfdnn.plotting import plt

ALL_PROFILES = ("quick", "laptop", "full")


@dataclass
class LogisticConfig:
    N: int = 30
    p: int = 20
    lr: float = 0.01
    batch_size: int = 15
    iterations: int = 3000
    layout: Literal["text", "official"] = "text"


@dataclass
class SVMConfig(LogisticConfig):
    lam: float = 0.1


def _setup(cfg: LogisticConfig, ctx: RunContext):
    rng = ctx.numpy_rng()
    X, Y = random_labels(rng, cfg.N, cfg.p, cfg.layout)
    theta0 = rng.randn(cfg.p)  # drawn after the data
    return rng, X, Y, theta0


def _plot(ctx: RunContext, history: list[float], title: str, name: str) -> None:
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(history, lw=1)
    ax.set_xlabel("iteration")
    ax.set_ylabel("objective")
    ax.set_title(title)
    ctx.savefig(fig, name)


@experiment(
    "hw2-logistic-sgd",
    title="Logistic regression by minibatch SGD on separable random data",
    group="HW2",
    config=LogisticConfig,
    metrics=("final_loss", "train_accuracy", "initial_loss", "theta_norm"),
    quick={},
    quick_note="the course's settings (the run takes about a second)",
    claims=(
        Claim("final_loss", "<", "initial_loss", "HOMEWORK.md HW2 P1: the loss keeps falling "
              "toward 0", profiles=ALL_PROFILES),
    ),
)
def run_logistic(cfg: LogisticConfig, ctx: RunContext) -> dict[str, Any]:
    rng, X, Y, theta0 = _setup(cfg, ctx)
    theta, history = run_sgd(lambda t, idx: logistic_gradient(t, X[idx], Y[idx]), theta0,
                             cfg.lr, with_replacement(rng, cfg.N, cfg.batch_size),
                             cfg.iterations, lambda t: logistic_loss(t, X, Y))
    _plot(ctx, history, f"logistic regression, SGD (alpha = {cfg.lr}, batch {cfg.batch_size})",
          "objective")
    ctx.print(f"logistic loss {history[0]:.4f} -> {history[-1]:.4f}, ||theta|| = "
              f"{np.linalg.norm(theta):.3f}")
    return {"final_loss": history[-1], "train_accuracy": sign_accuracy(theta, X, Y),
            "initial_loss": history[0], "theta_norm": float(np.linalg.norm(theta))}


@experiment(
    "hw2-svm-sgd",
    title="Linear SVM (hinge loss) by minibatch subgradient SGD; kinks are never hit",
    group="HW2",
    config=SVMConfig,
    metrics=("final_loss", "train_accuracy", "nondifferentiable_hits", "trials",
             "initial_loss"),
    quick={},
    quick_note="the course's settings (the run takes about a second)",
    claims=(
        Claim("nondifferentiable_hits", "within", 0, "HOMEWORK.md HW2 P2: the kink is never "
              "hit (probability zero)", profiles=ALL_PROFILES, tolerance=0),
        Claim("trials", "within", 45000, "HOMEWORK.md HW2 P2: 3000 iterations x batch 15",
              profiles=ALL_PROFILES, tolerance=0),
        Claim("final_loss", "<", "initial_loss", "HOMEWORK.md HW2 P2: SGD on the hinge "
              "objective", profiles=ALL_PROFILES),
    ),
)
def run_svm(cfg: SVMConfig, ctx: RunContext) -> dict[str, Any]:
    rng, X, Y, theta0 = _setup(cfg, ctx)
    hits = []

    def subgradient(theta: np.ndarray, idx: np.ndarray) -> np.ndarray:
        grad, ties = hinge_subgradient(theta, X[idx], Y[idx], cfg.lam)
        hits.append(ties)
        return grad

    theta, history = run_sgd(subgradient, theta0, cfg.lr,
                             with_replacement(rng, cfg.N, cfg.batch_size), cfg.iterations,
                             lambda t: hinge_loss(t, X, Y, cfg.lam))
    _plot(ctx, history, f"linear SVM, subgradient SGD (lambda = {cfg.lam})", "objective")
    ctx.print(f"hinge objective {history[0]:.4f} -> {history[-1]:.4f}; "
              f"{sum(hits)} kink hits in {len(hits) * cfg.batch_size} sampled terms")
    return {"final_loss": history[-1], "train_accuracy": sign_accuracy(theta, X, Y),
            "nondifferentiable_hits": int(sum(hits)), "trials": len(hits) * cfg.batch_size,
            "initial_loss": history[0], "theta_norm": float(np.linalg.norm(theta))}
