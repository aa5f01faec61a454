"""Plain Monte Carlo: I_N = (1/N) sum_i phi(X_i), X_i i.i.d.

I_N is unbiased and consistent, with Var(I_N) = Var(phi(X)) / N, so its standard error
s / sqrt(N) (s the sample standard deviation of the phi(X_i)) shrinks like 1/sqrt(N).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate, its standard error and the number of samples."""

    value: float
    std_error: float
    n: int

    def __str__(self) -> str:
        return f"{self.value:.5g} +- {self.std_error:.2g} (N = {self.n})"


def mc_estimate(samples: np.ndarray) -> Estimate:
    """Mean of the samples phi(X_i) and its standard error std(phi(X), ddof=1) / sqrt(N)."""
    x = np.asarray(samples, dtype=np.float64).reshape(-1)
    n = x.size
    std = float(x.std(ddof=1)) if n > 1 else math.nan
    return Estimate(float(x.mean()), std / math.sqrt(n), n)
