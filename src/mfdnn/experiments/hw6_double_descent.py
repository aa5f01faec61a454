"""HW6 P5 (``ddescent.py``): optimal regularisation removes double descent.

A noisy linear teacher in d = 35 dimensions (300 training points, noise sd 0.5; 60
validation and 30 test points without noise; ``mfdnn.data.synthetic.double_descent``) is
fitted by ridge regression on p random ReLU features f(x) = theta^T ReLU(W x),
W_ij ~ N(0, 1/p), for p = 1, 11, ..., 1491. For each p one W is drawn, in sweep order, and
serves both curves:

* fixed lambda = 0.01: the test error peaks near the interpolation threshold p = n = 300,
  then descends a second time;
* tuned lambda: the lambda of the grid 2^-6 ... 2^5 (the starter's; ``lambda_grid=log`` is
  the text's [1e-2, 1e2]) with the smallest validation error: no peak.

Error = ||F theta - Y|| on the test set (the official metric). All draws come from one legacy
NumPy stream seeded with the run's seed (0 by default, the course's).

metrics.json:
  num_params                 the p values (list)
  error_fixed_lambda         test error at lambda = 0.01, per p (list)
  error_tuned_lambda         test error at the validation-tuned lambda, per p (list)
  tuned_lambda               the chosen lambda, per p (list)
  peak_p_fixed_lambda        p at the largest fixed-lambda test error
  peak_error_fixed_lambda, max_error_tuned_lambda
  last_error_fixed_lambda    fixed-lambda test error at the largest p (after the second descent)
  tuned_error_at_peak        tuned-lambda test error at peak_p_fixed_lambda
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from mfdnn.data.synthetic.double_descent import linear_teacher
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.models.random_features import draw_features, relu_features, residual_norm, ridge
from mfdnn.plotting import plt


@dataclass
class Config:
    d: int = 35
    n_train: int = 300
    n_val: int = 60
    n_test: int = 30
    noise: float = 0.5
    p_start: int = 1
    p_stop: int = 1501
    p_step: int = 10
    fixed_lambda: float = 0.01
    lambda_grid: Literal["starter", "log"] = "starter"


def lambdas(grid: str) -> np.ndarray:
    """The starter's 2^i, i = -6..5, or 12 log-spaced values over the text's [1e-2, 1e2]."""
    if grid == "starter":
        return 2.0 ** np.arange(-6, 6)
    return np.logspace(-2, 2, 12)


@experiment(
    "hw6-double-descent",
    title="Random-feature ridge regression: double descent, and its removal by tuning lambda",
    group="HW6",
    config=Config,
    metrics=("num_params", "error_fixed_lambda", "error_tuned_lambda", "peak_p_fixed_lambda",
             "peak_error_fixed_lambda", "last_error_fixed_lambda", "tuned_error_at_peak"),
    quick=dict(p_stop=601, p_step=20),
    quick_note="p = 1, 21, ..., 581 (30 widths) instead of 1, 11, ..., 1491",
    claims=(
        # the peak sits at the interpolation threshold p = n_train; 50 is two to five grid
        # steps of a noisy curve
        Claim("peak_p_fixed_lambda", "within", 300, "HOMEWORK.md HW6 P5: peak at the "
              "interpolation threshold p = n = 300", ("quick", "laptop", "full"), tolerance=50),
        Claim("last_error_fixed_lambda", "<", "peak_error_fixed_lambda", "HOMEWORK.md HW6 P5: "
              "a second descent after the peak", ("quick", "laptop", "full")),
        Claim("tuned_error_at_peak", "<", "peak_error_fixed_lambda", "HOMEWORK.md HW6 P5: "
              "the tuned-lambda curve has no peak", ("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    data = linear_teacher(rng, cfg.d, cfg.n_train, cfg.n_val, cfg.n_test, cfg.noise)
    grid = lambdas(cfg.lambda_grid)
    ps = np.arange(cfg.p_start, cfg.p_stop, cfg.p_step)
    fixed, tuned, chosen = [], [], []
    for p in ps:
        W = draw_features(rng, int(p), cfg.d)
        F_train = relu_features(data.X_train, W)
        F_val, F_test = relu_features(data.X_val, W), relu_features(data.X_test, W)
        theta = ridge(F_train, data.Y_train, cfg.fixed_lambda)
        fixed.append(residual_norm(F_test, theta, data.Y_test))
        thetas = [ridge(F_train, data.Y_train, lam) for lam in grid]
        best = int(np.argmin([residual_norm(F_val, t, data.Y_val) for t in thetas]))
        tuned.append(residual_norm(F_test, thetas[best], data.Y_test))
        chosen.append(float(grid[best]))
    peak = int(np.argmax(fixed))
    ctx.print(f"fixed lambda: peak test error {fixed[peak]:.3f} at p = {ps[peak]}; "
              f"tuned lambda: max test error {max(tuned):.3f}")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.scatter(ps, fixed, s=8, color="black", label=rf"$\lambda = {cfg.fixed_lambda}$")
    ax.plot(ps, tuned, color="tab:red", label=r"optimally tuned $\lambda$")
    ax.set_xlabel("number of parameters p")
    ax.set_ylabel(r"test error $\|\tilde X\theta - Y\|$")
    ax.set_yscale("log")
    ax.axvline(cfg.n_train, color="grey", ls=":", lw=1)
    ax.legend()
    ax.set_title("Double descent, and its removal by tuning the ridge parameter")
    ctx.savefig(fig, "double_descent")
    return {
        "num_params": ps.tolist(),
        "error_fixed_lambda": fixed,
        "error_tuned_lambda": tuned,
        "tuned_lambda": chosen,
        "peak_p_fixed_lambda": int(ps[peak]),
        "peak_error_fixed_lambda": fixed[peak],
        "max_error_tuned_lambda": max(tuned),
        "last_error_fixed_lambda": fixed[-1],
        "tuned_error_at_peak": tuned[peak],
    }
