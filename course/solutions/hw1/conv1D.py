"""HW1 P5: gradient descent with matrix-free convolution operators.

Minimise F(x) = sum_j h((Ax - b)_j) + (lambda / 2) ||x||^2, where h is the Huber function and
A in R^{(n-r+1) x n} is the valid cross-correlation with the filter k in R^r:

    (A x)_j   = sum_{t=0}^{r-1} k_t x_{j+t}
    (A^T v)_i = sum_{t : 0 <= i-t <= n-r} k_t v_{i-t}

Implement ``Convolution1d.__matmul__`` and ``TransposedConvolution1d.__matmul__`` without
forming the matrix (one comprehension each is enough). The GD loop below must run unchanged.
Self-check: ``mfdnn check hw1 conv1D.py``.
"""

import numpy as np


def huber(z):
    return np.where(np.abs(z) <= 1, z**2 / 2, np.abs(z) - 0.5)


def huber_grad(z):
    return np.clip(z, -1, 1)


class Convolution1d:
    def __init__(self, k, n):
        self.k = np.asarray(k, dtype=float)
        self.n = n
        self.r = len(self.k)
        self.shape = (n - self.r + 1, n)

    def __matmul__(self, x):
        # BEGIN SOLUTION: return A @ x, (Ax)_j = sum_t k_t x_{j+t}, without forming A
        return np.array([self.k @ x[j:j + self.r] for j in range(self.n - self.r + 1)])
        # END SOLUTION

    @property
    def T(self):
        return TransposedConvolution1d(self.k, self.n)


class TransposedConvolution1d:
    def __init__(self, k, n):
        self.k = np.asarray(k, dtype=float)
        self.n = n
        self.r = len(self.k)
        self.shape = (n, n - self.r + 1)

    def __matmul__(self, v):
        # BEGIN SOLUTION: return A^T @ v, (A^T v)_i = sum_{t: 0 <= i-t <= n-r} k_t v_{i-t}
        m = self.n - self.r
        return np.array([sum(self.k[t] * v[i - t] for t in range(self.r) if 0 <= i - t <= m)
                         for i in range(self.n)])
        # END SOLUTION

    @property
    def T(self):
        return Convolution1d(self.k, self.n)


if __name__ == "__main__":
    r, n, lam = 3, 20, 0.1
    np.random.seed(0)
    k = np.random.randn(r)  # drawn first
    b = np.random.randn(n - r + 1)  # then b
    A = Convolution1d(k, n)
    # Dense check: A = scipy.linalg.circulant(np.concatenate((np.flip(k), np.zeros(n - r))))[r - 1:]

    x = np.zeros(n)
    alpha = 0.01
    for _ in range(100):
        x = x - alpha * (A.T @ huber_grad(A @ x - b) + lam * x)

    print(np.sum(huber(A @ x - b)) + lam / 2 * np.linalg.norm(x) ** 2)
