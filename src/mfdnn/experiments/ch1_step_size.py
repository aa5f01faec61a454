"""Chapter 1 / HW1 P2-P3: gradient descent diverges above the step size 2/L.

* Quadratic f(theta) = theta^2 / 2 (L = 1): theta^{k+1} = (1 - alpha) theta^k diverges from
  any theta^0 != 0 iff alpha > 2; alpha = 2 oscillates.
* Least squares (1/2)||X theta - Y||^2 on the Chapter 1 testbed (L = lambda_max(X^T X) = 25,
  from the singular value s[1] = 5): the error obeys e^{k+1} = (I - alpha X^T X) e^k and
  diverges from almost every start iff alpha > 2 / lambda_max.

The observed threshold comes from GD runs alone: bisection on alpha between a convergent and
a divergent step, a run counting as divergent when it ends farther from the minimiser than it
started (theta^0 = 0 for least squares, theta^0 = 1 for the quadratic).

metrics.json:
  threshold_theory     {"quadratic": 2 / L, "least_squares": 2 / lambda_max(X^T X)}
  threshold_observed   {"quadratic": ..., "least_squares": ...} by bisection (relative
                       tolerance ``rtol``)
  lambda_max           largest eigenvalue of X^T X
  relative_gap         {"quadratic": ..., "least_squares": ...}: |observed - theory| / theory
  gap_quadratic, gap_least_squares   the two entries of relative_gap (numbers, for the claims)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.data.synthetic.least_squares import least_squares_solution, least_squares_testbed
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.optim.gd import gradient_descent, observed_threshold
from mfdnn.plotting import plt


@dataclass
class Config:
    curvature: float = 1.0  # L of the quadratic f = L theta^2 / 2
    theta0: float = 1.0  # start of the quadratic runs
    steps: int = 20000  # GD steps per run of the bisection
    rtol: float = 1e-3  # bisection tolerance, relative to the threshold
    plot_steps: int = 60


@experiment(
    "ch1-step-size",
    title="Gradient descent diverges above the step size 2/L (quadratic and least squares)",
    group="Ch1",
    config=Config,
    metrics=("threshold_theory", "threshold_observed", "lambda_max", "gap_quadratic",
             "gap_least_squares"),
    quick=dict(steps=5000, rtol=1e-2),
    quick_note="5,000 GD steps per bisection run and a 1% tolerance",
    claims=(
        Claim("lambda_max", "within", 25.0, "SYLLABUS.md Ch1 testbed: s[1] = 5 is the largest "
              "singular value", profiles=("quick", "laptop", "full"), tolerance=1e-9),
        # the bisection stops within rtol (1% at quick, 0.1% at laptop/full) of the threshold
        Claim("gap_quadratic", "<=", 0.01, "HOMEWORK.md HW1 P2: diverges iff alpha > 2",
              profiles=("quick", "laptop", "full")),
        Claim("gap_least_squares", "<=", 0.01, "HOMEWORK.md HW1 P3: diverges iff "
              "alpha > 2/lambda_max", profiles=("quick", "laptop", "full")),
        Claim("gap_quadratic", "<=", 0.001, "HOMEWORK.md HW1 P2: diverges iff alpha > 2",
              note="quick bisects to 1% only"),
        Claim("gap_least_squares", "<=", 0.001, "HOMEWORK.md HW1 P3: diverges iff "
              "alpha > 2/lambda_max", note="quick bisects to 1% only"),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    X, Y = least_squares_testbed(ctx.numpy_rng())
    XtX, XtY = X.T @ X, X.T @ Y
    lam_max = float(np.linalg.eigvalsh(XtX)[-1])
    theta_star = least_squares_solution(X, Y)
    problems = {
        "quadratic": (lambda t: cfg.curvature * t, np.array([cfg.theta0]), np.zeros(1),
                      cfg.curvature),
        "least_squares": (lambda t: XtX @ t - XtY, np.zeros(X.shape[1]), theta_star, lam_max),
    }
    theory, observed, gap = {}, {}, {}
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, (name, (grad, theta0, optimum, L)) in zip(axes, problems.items(), strict=True):
        theory[name] = 2 / L
        observed[name] = observed_threshold(grad, theta0, optimum, 0.5 * theory[name],
                                            1.5 * theory[name], cfg.steps, cfg.rtol)
        gap[name] = abs(observed[name] - theory[name]) / theory[name]
        ctx.print(f"{name}: 2/L = {theory[name]:.6g}, observed {observed[name]:.6g}")
        for factor, style in ((0.9, "g-"), (1.0, "b--"), (1.05, "r-")):
            path = gradient_descent(grad, theta0, factor * theory[name], cfg.plot_steps)
            error = np.linalg.norm(path - optimum, axis=1)
            ax.semilogy(error, style, label=f"alpha = {factor:g} x 2/L")
        ax.set_xlabel("iteration k")
        ax.set_ylabel("||theta^k - theta*||")
        ax.set_title(f"{name.replace('_', ' ')}: 2/L = {theory[name]:.4g}, "
                     f"observed {observed[name]:.4g}")
        ax.legend()
    ctx.savefig(fig, "divergence")
    return {"threshold_theory": theory, "threshold_observed": observed, "lambda_max": lam_max,
            "relative_gap": gap, "gap_quadratic": gap["quadratic"],
            "gap_least_squares": gap["least_squares"]}
