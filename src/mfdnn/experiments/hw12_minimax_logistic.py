"""HW12 P1 (``minimax_logistic.py``): robust logistic regression by stochastic gradient
descent-ascent.

    min_theta max_phi (1/N) sum_i log(1 + exp(-Y_i (X_i - phi)^T theta)) - (lambda/2)|phi|^2,
    lambda = 30  (:mod:`mfdnn.gan.minimax`).

Draws in the starter's order from the legacy NumPy stream (seed 0): X = randn(30, 20),
Y = 2 randint(2, size=30) - 1, theta0 = 0.1 randn(20), phi0 = 0.1 randn(20); then one
``randint(30)`` per step. Each epoch makes N = 30 simultaneous steps phi <- phi + beta g_phi,
theta <- theta - alpha g_theta (alpha = 0.3, beta = 1e-4), then logs the full-batch
objective and gradient norms. The text's 5000 epochs are the default; ``epochs=1000`` is the
starter's and the official figure's.

metrics.json:
  epochs                             epochs run
  objective                          L(theta, phi) after the last epoch
  grad_theta_norm, grad_phi_norm     full-batch gradient norms after the last epoch
  theta_norm, phi_norm               |theta| keeps growing (separable data), phi -> 0
  theta0_norm, phi0_norm             the same at the start
  grad_theta_norm_first, grad_phi_norm_first   the gradient norms after the first epoch
  objective_curve, grad_theta_norm_curve, grad_phi_norm_curve   every 10th epoch
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.gan.minimax import sgda
from mfdnn.plotting import plt


@dataclass
class Config:
    n: int = 30
    p: int = 20
    lam: float = 30.0
    alpha: float = 0.3
    beta: float = 1e-4
    epochs: int = 5000


@experiment(
    "hw12-minimax-logistic",
    title="Robust logistic regression as a minimax problem, by stochastic gradient "
          "descent-ascent",
    group="HW12",
    config=Config,
    metrics=("epochs", "objective", "grad_theta_norm", "grad_phi_norm", "theta_norm",
             "phi_norm", "theta0_norm", "phi0_norm", "grad_theta_norm_first",
             "grad_phi_norm_first"),
    quick={},
    quick_note="the course's settings (a few seconds)",
    # L itself first rises (-(lambda/2)|phi|^2 < 0 at the start shrinks with phi): no claim
    claims=(
        Claim("grad_theta_norm", "<", "grad_theta_norm_first",
              "HOMEWORK.md HW12 P1: the gradient norms decrease",
              profiles=("quick", "laptop", "full")),
        Claim("grad_phi_norm", "<", "grad_phi_norm_first",
              "HOMEWORK.md HW12 P1: the gradient norms decrease",
              profiles=("quick", "laptop", "full")),
        Claim("theta_norm", ">", "theta0_norm",
              "HOMEWORK.md HW12 P1: separable data, |theta| keeps growing",
              profiles=("quick", "laptop", "full")),
        Claim("phi_norm", "<", "phi0_norm", "HOMEWORK.md HW12 P1: phi shrinks toward 0",
              profiles=("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    X = rng.randn(cfg.n, cfg.p)
    Y = 2 * rng.randint(2, size=cfg.n) - 1
    theta0 = 0.1 * rng.randn(cfg.p)
    phi0 = 0.1 * rng.randn(cfg.p)
    theta, phi, log = sgda(X, Y, theta0, phi0, alpha=cfg.alpha, beta=cfg.beta, lam=cfg.lam,
                           epochs=cfg.epochs, rng=rng)

    fig, axes = plt.subplots(3, 1, figsize=(7, 8), sharex=True)
    epochs = np.arange(1, cfg.epochs + 1)
    for ax, key, label in zip(axes, ("objective", "grad_theta_norm", "grad_phi_norm"),
                              ("L(theta, phi)", "|grad_theta L|", "|grad_phi L|"), strict=True):
        ax.plot(epochs, log[key])
        ax.set_ylabel(label)
        ax.set_yscale("symlog", linthresh=1e-4)  # L is negative for the first epochs
    axes[-1].set_xlabel("epoch")
    axes[0].set_title("stochastic gradient descent-ascent")
    ctx.savefig(fig, "minimax")
    ctx.print(f"after {cfg.epochs} epochs: L = {log['objective'][-1]:.4g}, "
              f"|grad_theta| = {log['grad_theta_norm'][-1]:.3g}, "
              f"|grad_phi| = {log['grad_phi_norm'][-1]:.3g}")
    return {
        "epochs": cfg.epochs,
        "objective": log["objective"][-1],
        "grad_theta_norm": log["grad_theta_norm"][-1],
        "grad_phi_norm": log["grad_phi_norm"][-1],
        "theta_norm": float(np.linalg.norm(theta)),
        "phi_norm": float(np.linalg.norm(phi)),
        "theta0_norm": float(np.linalg.norm(theta0)),
        "phi0_norm": float(np.linalg.norm(phi0)),
        "grad_theta_norm_first": log["grad_theta_norm"][0],
        "grad_phi_norm_first": log["grad_phi_norm"][0],
        "objective_curve": log["objective"][::10],
        "grad_theta_norm_curve": log["grad_theta_norm"][::10],
        "grad_phi_norm_curve": log["grad_phi_norm"][::10],
    }
