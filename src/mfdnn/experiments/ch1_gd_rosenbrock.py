"""Chapter 1 demo: gradient descent with backtracking on a modified Rosenbrock function.

    f(x, y) = (1 - x)^2 + 5 (y - x^2)^2 + 1.2 (x - 1)^2 + 1.2 (y - 1)^2,   minimiser (1, 1), f = 0

From (-1, -0.5), 100 iterations of GD; each iteration tries the step 0.001 and halves it until
f decreases (the notebook's backtracking). The figures show the contours (32 x 32 grid over
[-2, 2] x [-1, 3]) with the iterates, and the 3-D surface.

With a step of at most 0.001 the 100 iterations move the point only part of the way down
the curved valley; ``--set initial_step=0.01`` (or more iterations) reaches the minimiser.

metrics.json:
  initial_value          f at the start, f(-1, -0.5) = 22.75
  final_value            f at the last iterate
  iterations             GD iterations run
  final_point            the last iterate [x, y]
  distance_to_minimizer  ||last iterate - (1, 1)||
  halvings               how many step halvings the backtracking made in all
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.optim.gd import backtracking_descent
from mfdnn.plotting import plt


@dataclass
class Config:
    start_x: float = -1.0
    start_y: float = -0.5
    iterations: int = 100
    initial_step: float = 1e-3
    grid: int = 32


def rosenbrock(theta: np.ndarray) -> np.ndarray:
    """f(x, y) = (1 - x)^2 + 5 (y - x^2)^2 + 1.2 (x - 1)^2 + 1.2 (y - 1)^2 (theta[..., 0] = x)."""
    x, y = theta[..., 0], theta[..., 1]
    return (1 - x) ** 2 + 5 * (y - x**2) ** 2 + 1.2 * (x - 1) ** 2 + 1.2 * (y - 1) ** 2


def rosenbrock_gradient(theta: np.ndarray) -> np.ndarray:
    """(df/dx, df/dy) = (-2(1 - x) - 20 x (y - x^2) + 2.4 (x - 1), 10 (y - x^2) + 2.4 (y - 1))."""
    x, y = theta[..., 0], theta[..., 1]
    return np.stack([-2 * (1 - x) - 20 * x * (y - x**2) + 2.4 * (x - 1),
                     10 * (y - x**2) + 2.4 * (y - 1)], axis=-1)


@experiment(
    "ch1-gd-rosenbrock",
    title="Gradient descent with backtracking on a modified Rosenbrock function",
    group="Ch1",
    config=Config,
    metrics=("initial_value", "final_value", "iterations", "halvings"),
    quick={},
    quick_note="the course's settings (the run takes milliseconds)",
    claims=(
        Claim("final_value", "<", "initial_value", "mathematics: backtracking accepts only "
              "steps that decrease f", profiles=("quick", "laptop", "full")),
        Claim("iterations", "within", 100, "SYLLABUS.md Ch1 demo: 100 iterations",
              profiles=("quick", "laptop", "full"), tolerance=0),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    start = np.array([cfg.start_x, cfg.start_y])
    path, steps = backtracking_descent(lambda t: float(rosenbrock(t)), rosenbrock_gradient,
                                       start, cfg.iterations, cfg.initial_step)
    final = path[-1]
    halvings = sum(int(round(np.log2(cfg.initial_step / s))) for s in steps if s > 0)
    ctx.print(f"after {cfg.iterations} iterations: (x, y) = ({final[0]:.4f}, {final[1]:.4f}), "
              f"f = {rosenbrock(final):.6f}")

    xs, ys = np.linspace(-2, 2, cfg.grid), np.linspace(-1, 3, cfg.grid)
    XX, YY = np.meshgrid(xs, ys)
    ZZ = rosenbrock(np.stack([XX, YY], axis=-1))
    fig, ax = plt.subplots(figsize=(6, 5.5))
    contour = ax.contour(XX, YY, ZZ, levels=np.logspace(-1, 2.5, 20), cmap="viridis")
    fig.colorbar(contour, ax=ax, label="f(x, y)")
    ax.plot(path[:, 0], path[:, 1], "r.-", ms=4, lw=1, label="GD iterates")
    ax.plot(*start, "ko", label="start")
    ax.plot(1, 1, "k*", ms=12, label="minimiser (1, 1)")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(f"GD with backtracking, {cfg.iterations} iterations")
    ax.legend(loc="upper left")
    ctx.savefig(fig, "contour_path")

    fig = plt.figure(figsize=(7, 5))
    ax3 = fig.add_subplot(projection="3d")
    ax3.plot_surface(XX, YY, ZZ, cmap="viridis", alpha=0.85)
    ax3.plot(path[:, 0], path[:, 1], rosenbrock(path), "r.-", ms=3, lw=1)
    ax3.set_xlabel("x")
    ax3.set_ylabel("y")
    ax3.set_zlabel("f")
    ax3.set_title("the surface and the GD path")
    ctx.savefig(fig, "surface")
    return {
        "initial_value": float(rosenbrock(start)),
        "final_value": float(rosenbrock(final)),
        "iterations": cfg.iterations,
        "final_point": final.tolist(),
        "distance_to_minimizer": float(np.linalg.norm(final - 1)),
        "halvings": halvings,
    }
