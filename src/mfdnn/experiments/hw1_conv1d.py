"""HW1 P5 (``conv1D.py``): gradient descent with matrix-free convolution operators.

Minimise F(x) = sum_j h((Ax - b)_j) + (lambda/2)||x||^2 with the Huber function h
(h(z) = z^2/2 if |z| <= 1 else |z| - 1/2, h'(z) = clip(z, -1, 1)) and A the valid
cross-correlation with a random filter. The GD loop below is the starter's, unchanged: it
only uses ``A @ x`` and ``A.T @ v``, so it runs on the operator objects or on a dense matrix.

Draws (legacy NumPy, seed 0): k = randn(3) first, then b = randn(18).

metrics.json:
  objective             F(x^100), the value the homework prints
  initial_objective     F(x^0) = F(0)
  objective_dense       the same run with the dense banded matrix
  max_abs_diff_dense    max |operator - dense| over A@x, A.T@v (random x, v and the GD path)
                        and the two final objectives
  adjoint_gap           |<v, Ax> - <A^T v, x>| for random x, v
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.nn.conv1d import Convolution1d, dense_convolution_matrix
from mfdnn.plotting import plt

ALL_PROFILES = ("quick", "laptop", "full")


@dataclass
class Config:
    n: int = 20
    r: int = 3
    lam: float = 0.1
    lr: float = 0.01  # the step size alpha
    iterations: int = 100


def huber(z: np.ndarray) -> np.ndarray:
    return np.where(np.abs(z) <= 1, z**2 / 2, np.abs(z) - 0.5)


def huber_grad(z: np.ndarray) -> np.ndarray:
    return np.clip(z, -1, 1)


def objective(A: Any, x: np.ndarray, b: np.ndarray, lam: float) -> float:
    return float(np.sum(huber(A @ x - b)) + lam / 2 * x @ x)


def gradient_descent(A: Any, b: np.ndarray, cfg: Config) -> tuple[np.ndarray, list[float]]:
    """The starter's loop: x <- x - lr (A^T h'(Ax - b) + lambda x), from x = 0."""
    x = np.zeros(cfg.n)
    values = [objective(A, x, b, cfg.lam)]
    for _ in range(cfg.iterations):
        x = x - cfg.lr * (A.T @ huber_grad(A @ x - b) + cfg.lam * x)
        values.append(objective(A, x, b, cfg.lam))
    return x, values


@experiment(
    "hw1-conv1d",
    title="Gradient descent with matrix-free 1-D convolution operators",
    group="HW1",
    config=Config,
    metrics=("objective", "initial_objective", "objective_dense", "max_abs_diff_dense",
             "adjoint_gap"),
    quick={},
    quick_note="the course's settings (the run takes milliseconds)",
    claims=(
        Claim("adjoint_gap", "<=", 1e-12, "HOMEWORK.md HW1 P5: <v, Ax> = <A^T v, x> to 1e-12",
              profiles=ALL_PROFILES),
        Claim("max_abs_diff_dense", "<=", 1e-12, "HOMEWORK.md HW1 P5: the dense-matrix GD "
              "run agrees to ~1e-12", profiles=ALL_PROFILES),
        Claim("objective", "<", "initial_objective", "mathematics: GD with alpha < 2/L "
              "decreases F", profiles=ALL_PROFILES),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    k = rng.randn(cfg.r)  # drawn first
    b = rng.randn(cfg.n - cfg.r + 1)  # then b
    A = Convolution1d(k, cfg.n)
    D = dense_convolution_matrix(k, cfg.n)

    x_op, values_op = gradient_descent(A, b, cfg)
    x_dense, values_dense = gradient_descent(D, b, cfg)

    probe = np.random.RandomState(ctx.seed + 1)
    xs = [probe.randn(cfg.n) for _ in range(5)] + [x_op]
    vs = [probe.randn(cfg.n - cfg.r + 1) for _ in range(5)] + [b]
    diffs = [np.abs(A @ x - D @ x).max() for x in xs] + [np.abs(A.T @ v - D.T @ v).max()
                                                          for v in vs]
    diffs += [abs(values_op[-1] - values_dense[-1]), np.abs(x_op - x_dense).max()]
    adjoint = max(abs(v @ (A @ x) - (A.T @ v) @ x) for x, v in zip(xs, vs, strict=True))
    ctx.print(f"F(x^{cfg.iterations}) = {values_op[-1]}")

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5))
    ax1.plot(values_op, "k-", label="operators")
    ax1.plot(values_dense, "r--", label="dense matrix")
    ax1.set_xlabel("iteration")
    ax1.set_ylabel("F(x)")
    ax1.set_title("objective")
    ax1.legend()
    ax2.stem(x_op)
    ax2.set_xlabel("i")
    ax2.set_title(f"x after {cfg.iterations} steps")
    ctx.savefig(fig, "objective")
    return {
        "objective": values_op[-1],
        "initial_objective": values_op[0],
        "objective_dense": values_dense[-1],
        "max_abs_diff_dense": float(max(diffs)),
        "adjoint_gap": float(adjoint),
    }
