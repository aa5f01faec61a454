"""A finite-difference gradient checker.

Central differences approximate each partial derivative,

    d f / d x_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h),

with error O(h^2) from truncation plus O(eps_machine |f| / h) from round-off, so in float64
h ~ 1e-6 gives about 1e-9 to 1e-10 absolute accuracy for well-scaled f. :func:`check_gradient`
compares an analytic gradient with it and reports the worst entry, so a wrong formula (a
missing factor, a transposed matrix, a sign) shows up as an error far above that level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6
                       ) -> np.ndarray:
    """Central-difference gradient of scalar ``f`` at ``x`` (any shape; float64)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        plus = f(x)
        flat[i] = saved - h
        minus = f(x)
        flat[i] = saved
        out[i] = (plus - minus) / (2 * h)
    return grad


@dataclass(frozen=True)
class GradCheck:
    max_abs_error: float
    max_rel_error: float  # |analytic - numeric| / max(|analytic|, |numeric|, atol)
    worst_index: tuple[int, ...]
    passed: bool


def check_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, grad: np.ndarray,
                   h: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-8) -> GradCheck:
    """Compare ``grad`` (the analytic gradient of ``f`` at ``x``) with central differences.

    Passes iff every entry satisfies |analytic - numeric| <= atol + rtol |numeric|."""
    numeric = numerical_gradient(f, x, h)
    analytic = np.asarray(grad, dtype=np.float64).reshape(numeric.shape)
    error = np.abs(analytic - numeric)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), atol)
    worst = np.unravel_index(int(np.argmax(error)), error.shape) if error.size else ()
    return GradCheck(
        max_abs_error=float(error.max(initial=0.0)),
        max_rel_error=float((error / scale).max(initial=0.0)),
        worst_index=tuple(int(i) for i in worst),
        passed=bool(np.all(error <= atol + rtol * np.abs(numeric))),
    )
