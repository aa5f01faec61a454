"""The matrix-free 1-D convolution operator of HW1 P5, and its transpose.

For a filter k in R^r and x in R^n, the *valid cross-correlation* A in R^{(n-r+1) x n} is

    (A x)_j = sum_{t=0}^{r-1} k_t x_{j+t},                       j = 0, ..., n-r

and its transpose (a *full convolution*) is

    (A^T v)_i = sum_{t : 0 <= i-t <= n-r} k_t v_{i-t},           i = 0, ..., n-1.

Neither class forms the matrix: ``A @ x`` and ``A.T @ v`` are one comprehension each, so a
gradient-descent loop written for NumPy matrices runs unchanged on them (duck typing).
"""

from __future__ import annotations

import numpy as np


class Convolution1d:
    """A @ x for the valid cross-correlation with filter ``k`` on inputs of length ``n``."""

    def __init__(self, k: np.ndarray, n: int) -> None:
        self.k = np.asarray(k, dtype=float)
        self.n = n
        self.r = len(self.k)
        self.shape = (n - self.r + 1, n)

    def __matmul__(self, x: np.ndarray) -> np.ndarray:
        # (Ax)_j = sum_t k_t x_{j+t}
        return np.array([self.k @ x[j:j + self.r] for j in range(self.n - self.r + 1)])

    @property
    def T(self) -> TransposedConvolution1d:  # noqa: N802 (the matrix name)
        return TransposedConvolution1d(self.k, self.n)


class TransposedConvolution1d:
    """A^T @ v: scatters each v_j back over x_j, ..., x_{j+r-1} with weights k."""

    def __init__(self, k: np.ndarray, n: int) -> None:
        self.k = np.asarray(k, dtype=float)
        self.n = n
        self.r = len(self.k)
        self.shape = (n, n - self.r + 1)

    def __matmul__(self, v: np.ndarray) -> np.ndarray:
        # (A^T v)_i = sum_{t: 0 <= i-t <= n-r} k_t v_{i-t}
        m = self.n - self.r
        return np.array([
            sum(self.k[t] * v[i - t] for t in range(self.r) if 0 <= i - t <= m)
            for i in range(self.n)
        ])

    @property
    def T(self) -> Convolution1d:  # noqa: N802
        return Convolution1d(self.k, self.n)


def dense_convolution_matrix(k: np.ndarray, n: int) -> np.ndarray:
    """The banded (n-r+1) x n matrix of the valid cross-correlation: row j holds k at j..j+r-1."""
    r = len(k)
    A = np.zeros((n - r + 1, n))
    for j in range(n - r + 1):
        A[j, j:j + r] = k
    return A


def circulant_convolution_matrix(k: np.ndarray, n: int) -> np.ndarray:
    """The starter's construction: rows r-1, r, ... of the circulant of the flipped, padded k.

    The circulant with first column c = (k_{r-1}, ..., k_0, 0, ..., 0) has C[i, j] = c[(i-j) mod n]
    (``scipy.linalg.circulant``), so row r-1+j holds k_0..k_{r-1} in columns j..j+r-1: the same
    band as above.
    """
    r = len(k)
    c = np.concatenate([np.asarray(k, dtype=float)[::-1], np.zeros(n - r)])
    i, j = np.indices((n, n))
    C = c[(i - j) % n]
    return C[r - 1:]
