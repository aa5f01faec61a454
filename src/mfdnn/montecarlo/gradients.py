"""Gradients of an expectation over a Gaussian, J(mu, sigma) = E_{X ~ N(mu, sigma^2)} phi(X).

Log-derivative trick (REINFORCE): grad J = E[phi(X) grad log f_theta(X)], which for the
Gaussian with sigma = e^tau is

    d/dmu  = E[phi(X) (X - mu) / sigma^2]
    d/dtau = E[phi(X) ((X - mu)^2 / sigma^2 - 1)]            (per coordinate)

Reparameterisation: X = mu + sigma eps with eps ~ N(0, I), so grad J = E[grad phi(X) (...)]:

    d/dmu  = E[phi'(X)]
    d/dtau = E[phi'(X) sigma eps]

Both are unbiased; the second needs phi differentiable and usually has a much smaller
variance. The functions return one estimate per sample (rows), so a caller can average them
(HW10 P6), sum them (the Appendix A notebook) or take their variance.
"""

from __future__ import annotations

import numpy as np


def log_derivative_gradient(phi_x: np.ndarray, x: np.ndarray, mu: np.ndarray | float,
                            sigma: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample (d/dmu, d/dtau) of E phi(X) from phi(X_b) and X_b ~ N(mu, sigma^2)
    (tau = log sigma). ``phi_x`` has one value per sample; ``x`` is (B,) or (B, d)."""
    x = np.asarray(x, dtype=np.float64)
    phi = np.asarray(phi_x, dtype=np.float64).reshape(-1, *([1] * (x.ndim - 1)))
    score_mu = (x - mu) / sigma**2  # d/dmu log f = (x - mu) / sigma^2
    score_tau = (x - mu) ** 2 / sigma**2 - 1  # d/dtau log f = (x - mu)^2 / sigma^2 - 1
    return phi * score_mu, phi * score_tau


def reparameterization_gradient(dphi_x: np.ndarray, eps: np.ndarray,
                                sigma: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample (d/dmu, d/dtau) of E phi(mu + sigma eps) from phi'(X_b) and the eps_b."""
    dphi = np.asarray(dphi_x, dtype=np.float64)
    return dphi, dphi * sigma * np.asarray(eps, dtype=np.float64)
