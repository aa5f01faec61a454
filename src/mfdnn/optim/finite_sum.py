"""Stochastic gradient methods for a finite sum F(theta) = (1/N) sum_i f_i(theta).

All of them step theta^{k+1} = theta^k - alpha g^k; they differ in which indices make g^k.
The index samplers below make exactly the course's draws from a legacy NumPy
``RandomState`` (see HOMEWORK 0.2), one step at a time:

| sampler                       | indices of step k                                 | unbiased |
|-------------------------------|---------------------------------------------------|----------|
| :func:`full_batch` (GD)       | 0, ..., N-1                                       | exact    |
| :func:`single_sample` (SGD)   | i(k) = ``randint(N)``                             | yes      |
| :func:`with_replacement`      | ``randint(N, size=B)``: B i.i.d. indices          | yes      |
| :func:`without_replacement`   | ``permutation(N)[:B]``, a fresh permutation each step | yes  |
| :func:`cyclic`                | k mod N (B consecutive ones for B > 1)            | no       |
| :func:`random_reshuffling`    | a new ``permutation(N)`` each epoch, walked in order | per epoch |

Minibatch gradients are unbiased with and without replacement: E[(1/B) sum_b grad f_{i(b)}]
= grad F (the tests check this statistically). Whether a minibatch gradient is the *sum* or
the *mean* of its B sample gradients is the gradient function's business: the Chapter 1
notebook sums (so its alpha equals alpha B in the averaged form), HW2 averages.

:func:`run_sgd` drives any sampler with a gradient function on NumPy arrays.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

Indices = np.ndarray | int


def full_batch(N: int) -> Iterator[np.ndarray]:
    everything = np.arange(N)
    return itertools.repeat(everything)


def single_sample(rng: np.random.RandomState, N: int) -> Iterator[int]:
    """i(k) ~ U{0..N-1}, one ``randint(N)`` per step (a scalar index)."""
    while True:
        yield int(rng.randint(N))


def with_replacement(rng: np.random.RandomState, N: int, B: int) -> Iterator[np.ndarray]:
    """B i.i.d. uniform indices per step (the same stream as B calls of ``randint(N)``)."""
    while True:
        yield rng.randint(N, size=B)


def without_replacement(rng: np.random.RandomState, N: int, B: int) -> Iterator[np.ndarray]:
    """The first B entries of a fresh random permutation, every step (the course notebook)."""
    while True:
        yield rng.permutation(N)[:B]


def cyclic(N: int, B: int = 1) -> Iterator[np.ndarray]:
    """Indices 0, 1, ..., N-1, 0, 1, ... in chunks of B (deterministic, not unbiased)."""
    order = np.arange(N)
    while True:
        yield from np.split(order, range(B, N, B))


def random_reshuffling(rng: np.random.RandomState, N: int, B: int = 1) -> Iterator[np.ndarray]:
    """"Shuffled cyclic" SGD: a new permutation every epoch, walked in chunks of B."""
    while True:
        yield from np.split(rng.permutation(N), range(B, N, B))


def run_sgd(
    grad: Callable[[np.ndarray, Any], np.ndarray],
    theta0: np.ndarray,
    lr: float,
    indices: Iterator[Indices],
    steps: int,
    monitor: Callable[[np.ndarray], Any] | None = None,
    every: int = 1,
) -> tuple[np.ndarray, list[Any]]:
    """theta <- theta - lr * grad(theta, idx) for ``steps`` index sets drawn from ``indices``.

    ``monitor(theta)`` is recorded before the first step and after every ``every`` steps
    (e.g. the full objective, or a copy of theta for a snapshot). Returns the final theta and
    the record."""
    theta = np.array(theta0, dtype=float)
    history = [monitor(theta)] if monitor is not None else []
    for k, idx in zip(range(steps), indices, strict=False):
        theta = theta - lr * grad(theta, idx)  # theta^{k+1} = theta^k - alpha g^k
        if monitor is not None and (k + 1) % every == 0:
            history.append(monitor(theta))
    return theta, history
