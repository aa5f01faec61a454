"""HW9 P2's 1-D data: the starter's ``mixture(num)`` sampler.

It draws, from the legacy NumPy stream and in this order,

    n = num // 3 points from N(-1, 0.25^2), then n from N(0.2, 0.25^2),
    then num - n from N(1.5, 0.25^2),

and concatenates them: a 1:1:2 mixture of num + num // 3 points (num = 5000 gives 6666).
``equal=True`` is the problem text's mixture instead: num // 3, num // 3 and
num - 2 (num // 3) points (num points in all).
"""

from __future__ import annotations

import numpy as np

MEANS = (-1.0, 0.2, 1.5)
STD = 0.25


def mixture(num: int, rng: np.random.RandomState, equal: bool = False) -> np.ndarray:
    """The starter's sampler (``equal=False``) or equal thirds; float64 array."""
    n = num // 3
    counts = (n, n, num - 2 * n) if equal else (n, n, num - n)
    return np.concatenate([rng.normal(mean, STD, count) for mean, count in zip(MEANS, counts,
                                                                               strict=True)])


def mixture_density(x: np.ndarray, equal: bool = False) -> np.ndarray:
    """The sampler's density: weights 1:1:2 (or equal), N(mean, 0.25^2) components."""
    weights = np.array([1, 1, 1] if equal else [1, 1, 2], dtype=float)
    weights /= weights.sum()
    comps = [np.exp(-0.5 * ((x - m) / STD) ** 2) / (STD * np.sqrt(2 * np.pi)) for m in MEANS]
    return sum(w * c for w, c in zip(weights, comps, strict=True))
