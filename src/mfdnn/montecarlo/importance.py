"""Importance sampling: I = E_f[phi(X)] = E_g[phi(X) f(X) / g(X)], estimated by

    I_N = (1/N) sum_i phi(X_i) w(X_i),   w = f / g,   X_i ~ g.

It is unbiased whenever g > 0 where phi f != 0, and lowers the variance iff
Var_g(phi f / g) < Var_f(phi); a good g puts its mass where phi f is large (for phi >= 0 the
best, g* = phi f / I, has zero variance but needs I). Weights are handled in log space, so
products of many likelihood ratios (HW10 P5) do not underflow.
"""

from __future__ import annotations

import numpy as np

from mfdnn.montecarlo.estimate import Estimate, mc_estimate


def importance_estimate(values: np.ndarray, log_weights: np.ndarray) -> Estimate:
    """The mean of phi(X_i) exp(log w(X_i)) with its standard error (X_i drawn from g)."""
    values = np.asarray(values, dtype=np.float64)
    weighted = np.where(values == 0, 0.0, values * np.exp(log_weights))
    return mc_estimate(weighted)


def gaussian_log_ratio(x: np.ndarray, mean_f: float, mean_g: float, std: float = 1.0
                       ) -> np.ndarray:
    """log f(x) / g(x) for f = N(mean_f, std^2) and g = N(mean_g, std^2):
    ((x - mean_g)^2 - (x - mean_f)^2) / (2 std^2)."""
    return ((x - mean_g) ** 2 - (x - mean_f) ** 2) / (2 * std**2)
