"""HW6 P5 (``ddescent.py``): the linear teacher behind the double-descent experiment.

Drawn from one legacy NumPy stream, in this order (seed 0 in the course):

1. beta = randn(d), normalised to ||beta*|| = 1;
2. X_train: ``n_train`` rows, each its own ``multivariate_normal(0, I_d)`` call;
3. Y_train = X_train beta* + ``normal(0, noise, n_train)``;
4. X_val: ``n_val`` rows the same way; Y_val = X_val beta* (no noise);
5. X_test: ``n_test`` rows; Y_test = X_test beta* (no noise).

The random-feature matrices W are drawn afterwards from the same stream, one per width
(``mfdnn.models.random_features``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TeacherData:
    beta: np.ndarray
    X_train: np.ndarray
    Y_train: np.ndarray
    X_val: np.ndarray
    Y_val: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


def _rows(rng: np.random.RandomState, n: int, d: int) -> np.ndarray:
    """n rows, each drawn by its own ``multivariate_normal(0, I_d)`` call (as the starter)."""
    mean, cov = np.zeros(d), np.eye(d)
    return np.stack([rng.multivariate_normal(mean, cov) for _ in range(n)])


def linear_teacher(rng: np.random.RandomState, d: int = 35, n_train: int = 300,
                   n_val: int = 60, n_test: int = 30, noise: float = 0.5) -> TeacherData:
    beta = rng.randn(d)
    beta /= np.linalg.norm(beta)
    X_train = _rows(rng, n_train, d)
    Y_train = X_train @ beta + rng.normal(0, noise, n_train)
    X_val = _rows(rng, n_val, d)
    X_test = _rows(rng, n_test, d)
    return TeacherData(beta, X_train, Y_train, X_val, X_val @ beta, X_test, X_test @ beta)
