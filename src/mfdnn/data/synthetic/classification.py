"""HW2's synthetic classification data (legacy NumPy, seed 0 in the course).

* :func:`random_labels` (HW2 P1, P2): X first, then Y = 2 randint(2, size=N) - 1. With
  p = 20 and N = 30 the data are linearly separable with high probability.
  The problem text draws X = randn(N, p); the official solution draws randn(p, N) (samples
  are columns): the same stream, a different matrix (``layout="official"``).
* :func:`circle` (HW2 P3): Z = randn(2, N), y = sign(Z1^2 + Z2^2 - 0.7) before the
  transform, then rotate by 0.5 rad and shift by (1, 1); the true boundary is the circle
  (u - 1)^2 + (v - 1)^2 = 0.7.
"""

from __future__ import annotations

from typing import Literal

import numpy as np


def random_labels(rng: np.random.RandomState, N: int = 30, p: int = 20,
                  layout: Literal["text", "official"] = "text"
                  ) -> tuple[np.ndarray, np.ndarray]:
    """X (N x p) and labels Y in {-1, +1} independent of X."""
    if layout == "official":
        X = rng.randn(p, N).T  # the solution's p x N matrix, samples as columns
    else:
        X = rng.randn(N, p)
    Y = 2 * rng.randint(2, size=N) - 1
    return X, Y


def circle(rng: np.random.RandomState, N: int = 30, radius2: float = 0.7, angle: float = 0.5,
           shift: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Points X (N x 2) and labels y in {-1, +1}: +1 outside the circle, -1 inside."""
    Z = rng.randn(2, N)
    y = np.sign(Z[0] ** 2 + Z[1] ** 2 - radius2)
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    X = (R @ Z).T + shift
    return X, y
