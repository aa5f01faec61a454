"""Gambler's ruin with a time limit (HW10 P5): start with ``start`` dollars, bet 1 per game,
win each game with probability p, stop at 0, at ``target`` or after ``max_games`` games.
What is the probability of leaving with ``target``?

For p = 18/37, start 100, target 200 and 600 games it is tiny, so plain Monte Carlo with a
few thousand runs returns 0. Importance sampling simulates the games with a favourable
q > p and weights each run by its likelihood ratio over the games *actually played* (up to
the stopping time, which is a stopping time, so this is unbiased):

    w = prod_t (p / q)^{X_t} ((1 - p) / (1 - q))^{1 - X_t},    X_t = 1 if game t is won.

:func:`exact_probability` computes the probability by dynamic programming over the wealth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Runs:
    """Simulated runs: whether each reached the target, how many games it played, and its
    log likelihood ratio log(p-probability / q-probability) of the games played."""

    reached: np.ndarray
    games: np.ndarray
    log_weight: np.ndarray
    log_weight_all_games: np.ndarray  # the same over all max_games pre-drawn games


def simulate(rng: np.random.RandomState, runs: int, p: float, q: float, start: int = 100,
             target: int = 200, max_games: int = 600) -> Runs:
    """Play ``runs`` sessions with win probability q, all games drawn at once as
    ``rng.rand(runs, max_games) < q``; the likelihood ratios are for the true p."""
    wins = rng.rand(runs, max_games) < q
    wealth = start + np.cumsum(np.where(wins, 1, -1), axis=1)
    absorbed = (wealth <= 0) | (wealth >= target)
    stopped = absorbed.any(axis=1)
    stop = np.where(stopped, absorbed.argmax(axis=1), max_games - 1)  # index of the last game
    reached = stopped & (wealth[np.arange(runs), stop] >= target)
    log_ratio = np.where(wins, np.log(p / q), np.log((1 - p) / (1 - q)))
    cumulative = np.cumsum(log_ratio, axis=1)
    return Runs(reached=reached, games=stop + 1, log_weight=cumulative[np.arange(runs), stop],
                log_weight_all_games=cumulative[:, -1])


def exact_probability(p: float, start: int = 100, target: int = 200, max_games: int = 600
                      ) -> float:
    """P(reach ``target`` before 0 within ``max_games`` games), by propagating the wealth
    distribution (states 0..target, both ends absorbing) through the games."""
    mass = np.zeros(target + 1)
    mass[start] = 1.0
    for _ in range(max_games):
        moved = np.zeros_like(mass)
        moved[2:] += p * mass[1:-1]  # win: w -> w + 1
        moved[:-2] += (1 - p) * mass[1:-1]  # lose: w -> w - 1
        moved[0] += mass[0]
        moved[-1] += mass[-1]
        mass = moved
    return float(mass[-1])
