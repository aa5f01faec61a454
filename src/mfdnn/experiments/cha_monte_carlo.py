"""Appendix A demos: plain Monte Carlo, importance sampling, and the log-derivative vs
reparameterisation gradients.

* pi: N = 2^20 points uniform in [0, 1]^2 (``rand(N, 2)``); pi ~ mean of 4 1{x^2 + y^2 < 1},
  +- one standard error (course: 3.1450 +- 0.0016).
* Rare event P(X > 3), X ~ N(0, 1) (true value 0.00135), N = 2^10:
  plain Monte Carlo ``randn(N)`` collapses to 0 (course: 0.00000 +- 0.00000); importance
  sampling with Y ~ N(3, 1) and weight exp(((Y - 3)^2 - Y^2) / 2) 1{Y > 3} (course:
  0.00133 +- 0.00008).
* The error of plain Monte Carlo shrinks like 1/sqrt(N): the root-mean-square error of the
  pi estimate over ``repeats`` repetitions, for N = 2^6 ... 2^16, on a log-log plot with its
  fitted slope (-1/2 expected).
* Log-derivative (LD) vs reparameterisation (RT): minimise E_{X ~ N(mu, I)} ||X - c||^2 over
  mu in R^2, c = (5, 5), batch 16, lr 1e-2, 50 iterations from mu = 0. As in the notebook the
  gradients *sum* over the batch and drop the factor 2 (lr 1e-2 is lr B / 2 = 0.08 in the
  averaged exact form): LD sum_b ||X_b - c||^2 (X_b - mu), RT sum_b (Y_b + mu - c). Course:
  LD ~ (4.51, 5.27) on a noisy zig-zag path, RT ~ (5.03, 4.95) nearly straight.

All draws come from one legacy NumPy stream (seed 0), in the order listed.

metrics.json:
  pi_estimate, pi_std_error
  tail_plain, tail_plain_std_error           plain Monte Carlo for P(X > 3)
  tail_importance, tail_importance_std_error importance sampling
  tail_exact                                 P(X > 3) = erfc(3 / sqrt 2) / 2
  error_slope                                fitted slope of log RMSE against log N
  ld_final_mu, rt_final_mu                   the LD and RT iterates after 50 steps
  ld_final_distance, rt_final_distance       their distances ||mu - c|| to the minimiser
  ld_path_length, rt_path_length             sum_k ||mu^{k+1} - mu^k||: a zig-zag path is
                                             longer than the straight ||c|| = 7.07
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.montecarlo import (
    gaussian_log_ratio,
    importance_estimate,
    log_derivative_gradient,
    mc_estimate,
    reparameterization_gradient,
)
from mfdnn.plotting import plt

ALL_PROFILES = ("quick", "laptop", "full")


@dataclass
class Config:
    pi_samples: int = 2**20
    tail_samples: int = 2**10
    threshold: float = 3.0
    repeats: int = 100  # pi estimates per N for the 1/sqrt(N) check
    smallest_n: int = 2**6
    largest_n: int = 2**16
    lr: float = 1e-2
    batch_size: int = 16
    iterations: int = 50
    target: float = 5.0  # c = (target, target)


def pi_samples(rng: np.random.RandomState, n: int) -> np.ndarray:
    """4 1{x^2 + y^2 < 1} for n points (x, y) uniform in the unit square."""
    u = rng.rand(n, 2)
    return 4.0 * ((u**2).sum(axis=1) < 1)


def descend_ld_rt(rng: np.random.RandomState, cfg: Config) -> dict[str, np.ndarray]:
    """The LD and RT runs of the notebook (summed gradients, factor 2 dropped)."""
    c = np.full(2, cfg.target)
    paths = {}
    for method in ("ld", "rt"):
        mu = np.zeros(2)
        path = [mu.copy()]
        for _ in range(cfg.iterations):
            eps = rng.randn(cfg.batch_size, 2)
            x = mu + eps
            if method == "ld":
                g_mu, _ = log_derivative_gradient(((x - c) ** 2).sum(axis=1), x, mu, 1.0)
            else:
                g_mu, _ = reparameterization_gradient(x - c, eps, 1.0)  # phi'/2 = x - c
            mu = mu - cfg.lr * g_mu.sum(axis=0)
            path.append(mu.copy())
        paths[method] = np.array(path)
    return paths


@experiment(
    "chA-monte-carlo",
    title="Monte Carlo: pi, a rare event by importance sampling, LD vs RT gradients",
    group="App. A",
    config=Config,
    metrics=("pi_estimate", "pi_std_error", "tail_plain", "tail_importance",
             "tail_importance_std_error", "error_slope", "ld_final_distance",
             "rt_final_distance", "ld_path_length", "rt_path_length"),
    quick={},
    quick_note="the course's settings (the run takes about 2 s)",
    claims=(
        # 4 sqrt(p (1 - p) / N) with p = pi / 4, N = 2^20: 0.001604
        Claim("pi_std_error", "within", 0.0016, "course notebook, App. A: 3.1450 +- 0.0016",
              profiles=ALL_PROFILES, tolerance=1e-4),
        Claim("pi_estimate", "within", math.pi, "mathematics: pi, to 3 standard errors "
              "(0.0016 each)", profiles=ALL_PROFILES, tolerance=0.005),
        Claim("tail_importance", "within", 0.00135, "course notebook, App. A: 0.00133 +- "
              "0.00008 (exact 0.00135)", profiles=ALL_PROFILES, tolerance=0.00025),
        # the weights are bounded by e^-4.5, so the estimated standard error is stable;
        # exactly sqrt(Var_g(w) / 2^10) = 7.76e-5
        Claim("tail_importance_std_error", "within", 0.00008, "course notebook, App. A: "
              "0.00133 +- 0.00008", profiles=ALL_PROFILES, tolerance=0.00002),
        Claim("error_slope", "within", -0.5, "SYLLABUS.md App. A: the error shrinks like "
              "1/sqrt(N)", profiles=ALL_PROFILES, tolerance=0.1),
        Claim("rt_path_length", "<", "ld_path_length", "course notebook, App. A: LD on a "
              "noisy zig-zag path, RT on a nearly straight one", profiles=ALL_PROFILES),
    ),
    references={
        "pi_estimate": Reference(3.1450, "course notebook (N = 2^20)"),
        "pi_std_error": Reference(0.0016, "course notebook"),
        "tail_plain": Reference(0.0, "course notebook: the estimate collapses to 0"),
        "tail_importance": Reference(0.00133, "course notebook"),
        "tail_importance_std_error": Reference(0.00008, "course notebook"),
        "error_slope": Reference(-0.5, "Var = Var(phi) / N"),
        "ld_final_mu": Reference([4.51, 5.27], "course notebook (noisy)"),
        "rt_final_mu": Reference([5.03, 4.95], "course notebook"),
    },
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    pi = mc_estimate(pi_samples(rng, cfg.pi_samples))
    x = rng.randn(cfg.tail_samples)
    plain = mc_estimate(x > cfg.threshold)
    y = rng.randn(cfg.tail_samples) + cfg.threshold  # proposal N(3, 1)
    weighted = importance_estimate(y > cfg.threshold, gaussian_log_ratio(y, 0.0, cfg.threshold))
    exact = 0.5 * math.erfc(cfg.threshold / math.sqrt(2))
    ctx.print(f"pi ~ {pi}; P(X > {cfg.threshold:g}): plain {plain}, importance {weighted}, "
              f"exact {exact:.5f}")

    ns = 2 ** np.arange(int(np.log2(cfg.smallest_n)), int(np.log2(cfg.largest_n)) + 1)
    rmse = np.array([np.sqrt(np.mean([(pi_samples(rng, n).mean() - math.pi) ** 2
                                      for _ in range(cfg.repeats)])) for n in ns])
    slope = float(np.polyfit(np.log(ns), np.log(rmse), 1)[0])
    paths = descend_ld_rt(rng, cfg)
    ctx.print(f"RMSE slope {slope:.3f}; LD mu = {paths['ld'][-1].round(3)}, "
              f"RT mu = {paths['rt'][-1].round(3)}")

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    u = rng.rand(2000, 2)
    inside = (u**2).sum(axis=1) < 1
    axes[0].plot(*u[inside].T, "b.", ms=2)
    axes[0].plot(*u[~inside].T, "r.", ms=2)
    axes[0].set_aspect("equal")
    axes[0].set_title(f"pi ~ {pi.value:.4f} +- {pi.std_error:.4f} (N = {pi.n})")
    axes[1].loglog(ns, rmse, "o-", label="RMSE of the pi estimate")
    axes[1].loglog(ns, rmse[0] * np.sqrt(ns[0] / ns), "k--", label="1/sqrt(N)")
    axes[1].set_xlabel("N")
    axes[1].set_title(f"Monte Carlo error, fitted slope {slope:.3f}")
    axes[1].legend()
    for method, style in (("ld", "r.-"), ("rt", "b.-")):
        axes[2].plot(*paths[method].T, style, ms=3, lw=1,
                     label=f"{method.upper()}: final {paths[method][-1].round(2).tolist()}")
    axes[2].plot(cfg.target, cfg.target, "k*", ms=12, label="c")
    axes[2].plot(0, 0, "ko", label="start")
    axes[2].set_title("log-derivative vs reparameterisation")
    axes[2].legend(fontsize=8)
    ctx.savefig(fig, "monte_carlo")
    return {
        "pi_estimate": pi.value,
        "pi_std_error": pi.std_error,
        "tail_plain": plain.value,
        "tail_plain_std_error": plain.std_error,
        "tail_importance": weighted.value,
        "tail_importance_std_error": weighted.std_error,
        "tail_exact": exact,
        "error_slope": slope,
        "ld_final_mu": paths["ld"][-1].tolist(),
        "rt_final_mu": paths["rt"][-1].tolist(),
        "ld_final_distance": float(np.linalg.norm(paths["ld"][-1] - cfg.target)),
        "rt_final_distance": float(np.linalg.norm(paths["rt"][-1] - cfg.target)),
        **{f"{method}_path_length": float(np.linalg.norm(np.diff(path, axis=0), axis=1).sum())
           for method, path in paths.items()},
    }
