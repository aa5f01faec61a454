"""Chapter 5.4: the optimal discriminator D* = p / (p + q), and the GAN objective at D* equals
2 JS(p, q) - log 4; with the lambda-weighted objective (HW12 P2) D* = p / (p + lambda q) and
the value is D_{f_lambda}(p || q) - (1 + lambda) log(1 + lambda) + lambda log lambda.

On discrete p and q (random pairs on a few points, Dirichlet(1) draws from legacy NumPy),
a discriminator that can be any function of the point, a table of logits D = sigmoid(l),
is trained by Adam on the exact objective E_p log D + lambda E_q log(1 - D) (the batch is
the whole support, so every step is a full gradient). Its D and its objective value are
compared with the closed forms of :mod:`mfdnn.gan.divergences`.

metrics.json:
  max_abs_diff_d_star            max over pairs and points |D_trained - p / (p + q)|
  max_abs_diff_js                max over pairs |objective(D_trained) - (2 JS(p, q) - log 4)|
  max_abs_diff_d_star_weighted   the same with weight lambda
  max_abs_diff_value_weighted    |objective - (D_{f_lambda} - (1+l) log(1+l) + l log l)|
  js                             JS(p, q) per pair
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from mfdnn.experiments._threads import single_thread
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.gan.divergences import (
    discriminator_value,
    jensen_shannon,
    optimal_discriminator,
    optimal_value,
)
from mfdnn.plotting import plt


@dataclass
class Config:
    support: int = 10
    pairs: int = 5
    weight: float = 2.0  # lambda of the weighted objective
    steps: int = 3000
    lr: float = 0.05


class TableDiscriminator(nn.Module):
    """D(x) = sigmoid(l_x) for each of ``pairs`` problems and each support point x."""

    def __init__(self, pairs: int, support: int):
        super().__init__()
        self.logits = nn.Parameter(torch.zeros(pairs, support, dtype=torch.float64))

    def forward(self, index: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits[:, index])


def train_discriminator(p: torch.Tensor, q: torch.Tensor, weight: float, cfg: Config,
                        ctx: RunContext) -> torch.Tensor:
    """Maximise E_p log D + weight E_q log(1 - D) over tables D; returns D."""
    model = TableDiscriminator(*p.shape).to(p.device)
    index = torch.arange(p.shape[1], device=p.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)

    def loss(m: TableDiscriminator, index: torch.Tensor) -> torch.Tensor:
        # E_p log D + w E_q log(1 - D), written with logsigmoid for accuracy
        logits = m.logits[:, index]
        value = (p[:, index] * nn.functional.logsigmoid(logits)).sum(1) \
            + weight * (q[:, index] * nn.functional.logsigmoid(-logits)).sum(1)
        return -value.sum()

    ctx.fit(model, loss, optimizer, (index,), epochs=cfg.steps, batch_size=p.shape[1],
            shuffle=False, progress=False)
    with torch.no_grad():
        return model(index)


@experiment(
    "ch5-optimal-discriminator",
    title="The trained discriminator is p/(p+q) and the GAN loss is 2 JS - log 4",
    group="Ch5",
    config=Config,
    metrics=("max_abs_diff_d_star", "max_abs_diff_js", "max_abs_diff_d_star_weighted",
             "max_abs_diff_value_weighted"),
    quick={},
    quick_note="the full settings (a few seconds)",
    # float64 Adam on a concave objective: D to optimisation accuracy; the value at D* is
    # stationary, so its error is second order in D's
    claims=(
        Claim("max_abs_diff_d_star", "<=", 1e-4, "mathematics: D* = p / (p + q)",
              profiles=("quick", "laptop", "full")),
        Claim("max_abs_diff_js", "<=", 1e-8, "mathematics: V(D*) = 2 JS(p, q) - log 4",
              profiles=("quick", "laptop", "full")),
        Claim("max_abs_diff_d_star_weighted", "<=", 1e-4,
              "HOMEWORK.md HW12 P2: D* = p / (p + lambda q)",
              profiles=("quick", "laptop", "full")),
        Claim("max_abs_diff_value_weighted", "<=", 1e-8,
              "HOMEWORK.md HW12 P2: V(D*) = D_f - (1+l) log(1+l) + l log l",
              profiles=("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    with single_thread(ctx.device.type == "cpu"):
        return _run(cfg, ctx)


def _run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    p = torch.tensor(rng.dirichlet(np.ones(cfg.support), size=cfg.pairs))
    q = torch.tensor(rng.dirichlet(np.ones(cfg.support), size=cfg.pairs))
    if ctx.device.type != "mps":  # MPS has no float64: the tables stay on the CPU there
        p, q = p.to(ctx.device), q.to(ctx.device)
    results = {}
    for name, weight in (("plain", 1.0), ("weighted", cfg.weight)):
        d = train_discriminator(p, q, weight, cfg, ctx)
        value = discriminator_value(p, q, d, weight)
        results[name] = {"d": d, "d_star": optimal_discriminator(p, q, weight), "value": value,
                         "value_star": optimal_value(p, q, weight)}
    plain, weighted = results["plain"], results["weighted"]
    js = jensen_shannon(p, q)
    diff_d = (plain["d"] - plain["d_star"]).abs().max().item()
    diff_js = (plain["value"] - (2 * js - math.log(4))).abs().max().item()
    diff_dw = (weighted["d"] - weighted["d_star"]).abs().max().item()
    diff_vw = (weighted["value"] - weighted["value_star"]).abs().max().item()
    ctx.print(f"max |D - p/(p+q)| = {diff_d:.2e}, max |loss - (2 JS - log 4)| = {diff_js:.2e}; "
              f"lambda = {cfg.weight:g}: {diff_dw:.2e}, {diff_vw:.2e}")

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, (name, r) in zip(axes, results.items(), strict=True):
        ax.plot(r["d_star"].ravel().cpu().numpy(), r["d"].ravel().cpu().numpy(), "o")
        ax.plot([0, 1], [0, 1], "k--", lw=1)
        lam = 1.0 if name == "plain" else cfg.weight
        ax.set_xlabel(f"p / (p + {lam:g} q)")
        ax.set_ylabel("trained D")
        ax.set_title(f"lambda = {lam:g}")
    ctx.savefig(fig, "discriminator")
    return {
        "max_abs_diff_d_star": diff_d,
        "max_abs_diff_js": diff_js,
        "max_abs_diff_d_star_weighted": diff_dw,
        "max_abs_diff_value_weighted": diff_vw,
        "js": js.tolist(),
    }
