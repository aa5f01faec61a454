"""HW12 P1: robust logistic regression as a minimax problem, by stochastic gradient
descent-ascent (Chapter 5.4).

    min_theta max_phi L(theta, phi)
        = (1/N) sum_i log(1 + exp(-Y_i (X_i - phi)^T theta)) - (lambda/2) |phi|^2.

The adversary phi shifts every input; the ridge term keeps it small. With
m_i = Y_i (X_i - phi)^T theta and s_i = sigma(-m_i), the per-sample gradients are

    g_theta = -Y_i s_i (X_i - phi),      g_phi = Y_i s_i theta - lambda phi,

and the full-batch gradients are their averages. One *simultaneous* SGDA step at a drawn
index i evaluates both at the old (theta, phi):

    phi <- phi + beta g_phi,   theta <- theta - alpha g_theta.
"""

from __future__ import annotations

import numpy as np


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * t))


def objective(theta: np.ndarray, phi: np.ndarray, X: np.ndarray, Y: np.ndarray,
              lam: float) -> float:
    """L(theta, phi) over all N samples."""
    margins = Y * ((X - phi) @ theta)
    return float(np.mean(np.logaddexp(0, -margins)) - lam / 2 * phi @ phi)


def gradients(theta: np.ndarray, phi: np.ndarray, X: np.ndarray, Y: np.ndarray,
              lam: float) -> tuple[np.ndarray, np.ndarray]:
    """(grad_theta L, grad_phi L), averaged over the rows of X (one row: a sample gradient)."""
    X, Y = np.atleast_2d(X), np.atleast_1d(Y)
    shifted = X - phi
    s = _sigmoid(-Y * (shifted @ theta))  # s_i = sigma(-m_i)
    g_theta = -np.mean((Y * s)[:, None] * shifted, axis=0)
    g_phi = np.mean(Y * s) * theta - lam * phi
    return g_theta, g_phi


def sgda(X: np.ndarray, Y: np.ndarray, theta: np.ndarray, phi: np.ndarray, *, alpha: float,
         beta: float, lam: float, epochs: int, rng: np.random.RandomState
         ) -> tuple[np.ndarray, np.ndarray, dict[str, list[float]]]:
    """Simultaneous SGDA: per epoch N steps at indices ``rng.randint(N)``; after each epoch
    the full-batch objective and gradient norms are logged."""
    theta, phi = theta.copy(), phi.copy()
    n = len(X)
    log: dict[str, list[float]] = {"objective": [], "grad_theta_norm": [], "grad_phi_norm": []}
    for _ in range(epochs):
        for _ in range(n):
            i = rng.randint(n)
            g_theta, g_phi = gradients(theta, phi, X[i], Y[i], lam)
            phi, theta = phi + beta * g_phi, theta - alpha * g_theta  # both at the old point
        full_theta, full_phi = gradients(theta, phi, X, Y, lam)
        log["objective"].append(objective(theta, phi, X, Y, lam))
        log["grad_theta_norm"].append(float(np.linalg.norm(full_theta)))
        log["grad_phi_norm"].append(float(np.linalg.norm(full_phi)))
    return theta, phi, log
