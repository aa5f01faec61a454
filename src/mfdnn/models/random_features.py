"""Random ReLU features with an exact ridge fit (HW6 P5).

f(x) = theta^T ReLU(W x), with W in R^{p x d}, W_ij ~ N(0, 1/p) fixed and only theta fitted:

    theta = (F^T F + lambda I)^{-1} F^T Y,   F = ReLU(X W^T)   (n x p)

solved with ``np.linalg.solve``, never an explicit inverse. The course measures the error
by the Euclidean norm of the residual, ||F theta - Y|| (not squared, not averaged).
"""

from __future__ import annotations

import numpy as np


def draw_features(rng: np.random.RandomState, p: int, d: int) -> np.ndarray:
    """W = normal(0, 1/sqrt(p), (p, d)): one draw from the legacy stream."""
    return rng.normal(0, 1 / np.sqrt(p), (p, d))


def relu_features(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """F = ReLU(X W^T), n x p."""
    return np.maximum(X @ W.T, 0)


def ridge(F: np.ndarray, Y: np.ndarray, lam: float) -> np.ndarray:
    """theta solving (F^T F + lambda I) theta = F^T Y."""
    p = F.shape[1]
    return np.linalg.solve(F.T @ F + lam * np.eye(p), F.T @ Y)


def residual_norm(F: np.ndarray, theta: np.ndarray, Y: np.ndarray) -> float:
    """||F theta - Y||_2, the course's error."""
    return float(np.linalg.norm(F @ theta - Y))
