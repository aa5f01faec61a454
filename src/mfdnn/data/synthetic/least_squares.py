"""The Chapter 1 least-squares testbed shared by all its (S)GD plots.

Draw order (legacy NumPy; the notebook re-seeds before each demo):
  1. U = Q factor of QR(randn(300, 300))
  2. V = Q factor of QR(randn(30, 30))
  3. s = rand(30) + 0.2, then s[1] = 5 (so X^T X has eigenvalues s^2, the largest 25)
  4. X = U[:, :30] diag(s) V
  5. Y = randn(300)
"""

from __future__ import annotations

import numpy as np


def least_squares_testbed(rng: np.random.RandomState, N: int = 300, p: int = 30
                          ) -> tuple[np.ndarray, np.ndarray]:
    """X (N x p) with singular values s, and Y (N,), drawn in the course's order."""
    U, _ = np.linalg.qr(rng.randn(N, N))
    V, _ = np.linalg.qr(rng.randn(p, p))
    s = rng.rand(p) + 0.2
    s[1] = 5.0  # ill-conditioned: one large singular value
    X = U[:, :p] @ np.diag(s) @ V
    Y = rng.randn(N)
    return X, Y


def least_squares_solution(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """theta* = (X^T X)^{-1} X^T Y (by lstsq, which is better conditioned)."""
    return np.linalg.lstsq(X, Y, rcond=None)[0]
