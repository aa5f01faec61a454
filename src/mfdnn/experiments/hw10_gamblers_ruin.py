"""HW10 P5: gambler's ruin by importance sampling.

Start with $100, bet $1 per game, win each game with probability p = 18/37; stop at $0, at
$200 or after 600 games. The probability of leaving with $200 is so small that plain Monte
Carlo with N = 3000 runs almost surely returns exactly 0. Importance sampling simulates the
N runs with the favourable q = 0.55 and weights each successful run by its likelihood ratio
prod_t (p/q)^{X_t} ((1-p)/(1-q))^{1-X_t} over the games actually played (computed in log
space); the estimate is the mean of 1{reached $200} x weight
(:mod:`mfdnn.montecarlo.gamblers_ruin`).

Draws (legacy NumPy, seed 0; the problem sets none): the importance-sampling games as one
``rand(N, 600) < q`` matrix, then the plain Monte Carlo games ``rand(N, 600) < p``. The exact
probability comes from dynamic programming over the wealth; estimates are compared with it
within their standard errors. The weights over all 600 pre-drawn games (also unbiased, higher
variance) are reported for comparison.

metrics.json:
  estimate, std_error           importance sampling, likelihood ratio over the games played
  plain_estimate, plain_std_error   plain Monte Carlo with the same N
  exact                         by dynamic programming
  estimate_all_games, std_error_all_games   weights over all 600 games
  successes_importance          runs reaching $200 under q
  z_score                       (estimate - exact) / std_error
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.montecarlo import importance_estimate, mc_estimate
from mfdnn.montecarlo.gamblers_ruin import exact_probability, simulate
from mfdnn.plotting import plt


@dataclass
class Config:
    p: float = 18 / 37
    q: float = 0.55
    runs: int = 3000
    start: int = 100
    target: int = 200
    max_games: int = 600


@experiment(
    "hw10-gamblers-ruin",
    title="Gambler's ruin: a rare event estimated by importance sampling",
    group="HW10",
    config=Config,
    metrics=("estimate", "std_error", "plain_estimate", "exact", "std_error_all_games",
             "z_score"),
    quick={},
    quick_note="the course's settings (the run takes about a second)",
    claims=(
        # unbiased: the estimate lies within 3 of its standard errors of the exact value
        Claim("z_score", "within", 0, "mathematics: unbiased importance sampling",
              profiles=("quick", "laptop", "full"), tolerance=3),
        # P(any of 3000 plain runs succeeds) = 1 - (1 - 2.39e-6)^3000 < 1%
        Claim("plain_estimate", "within", 0, "HOMEWORK.md HW10 P5: plain MC returns 0",
              profiles=("quick", "laptop", "full"), tolerance=0),
        Claim("std_error", "<", "std_error_all_games",
              "HOMEWORK.md HW10 P5: all 600 games has higher variance",
              profiles=("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    sims = simulate(rng, cfg.runs, cfg.p, cfg.q, cfg.start, cfg.target, cfg.max_games)
    played = importance_estimate(sims.reached, sims.log_weight)
    all_games = importance_estimate(sims.reached, sims.log_weight_all_games)
    plain_runs = simulate(rng, cfg.runs, cfg.p, cfg.p, cfg.start, cfg.target, cfg.max_games)
    plain = mc_estimate(plain_runs.reached)
    exact = exact_probability(cfg.p, cfg.start, cfg.target, cfg.max_games)
    ctx.print(f"importance sampling {played}; all 600 games {all_games}; plain {plain}; "
              f"exact {exact:.4g}")

    terms = np.where(sims.reached, np.exp(sims.log_weight), 0.0)
    n = np.arange(1, cfg.runs + 1)
    running = np.cumsum(terms) / n
    second = np.cumsum(terms**2) / n
    running_se = np.sqrt(np.maximum(second - running**2, 0) / np.maximum(n - 1, 1))
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    axes[0].plot(n, running, "b-", lw=1, label="importance sampling")
    axes[0].fill_between(n, running - 2 * running_se, running + 2 * running_se, alpha=0.3,
                         label="+- 2 standard errors")
    axes[0].axhline(exact, color="r", lw=1, label=f"exact {exact:.3g}")
    axes[0].set_xlabel("runs")
    axes[0].set_ylabel("P(leave with $200)")
    axes[0].set_title(f"plain Monte Carlo: {plain.value:g} from {cfg.runs} runs")
    axes[0].legend()
    log10 = np.log10(np.e)
    bins = np.linspace(min(sims.log_weight[sims.reached].min(),
                           sims.log_weight_all_games[sims.reached].min()) * log10,
                       max(sims.log_weight[sims.reached].max(),
                           sims.log_weight_all_games[sims.reached].max()) * log10, 40)
    axes[1].hist(sims.log_weight[sims.reached] * log10, bins=bins, alpha=0.7,
                 label="over the games played")
    axes[1].hist(sims.log_weight_all_games[sims.reached] * log10, bins=bins, alpha=0.7,
                 label="over all 600 games")
    axes[1].set_xlabel("log10 likelihood ratio of a successful run")
    axes[1].set_title(f"{int(sims.reached.sum())} of {cfg.runs} runs reach $200 under q = "
                      f"{cfg.q}")
    axes[1].legend()
    ctx.savefig(fig, "estimate")
    return {
        "estimate": played.value,
        "std_error": played.std_error,
        "plain_estimate": plain.value,
        "plain_std_error": plain.std_error,
        "exact": exact,
        "estimate_all_games": all_games.value,
        "std_error_all_games": all_games.std_error,
        "successes_importance": int(sims.reached.sum()),
        "z_score": (played.value - exact) / played.std_error,
    }
