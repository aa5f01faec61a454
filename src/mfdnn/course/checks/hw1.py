"""HW1 checks: ``wideMinima.py`` (GD from many starts, classification) and ``conv1D.py``
(matrix-free convolution and its transpose against the dense banded matrix)."""

from __future__ import annotations

import numpy as np

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


def f_prime(theta: np.ndarray) -> np.ndarray:
    """f'(theta) written out (tests compare it with autograd of f)."""
    s = 1 / (1 + np.exp(-3 * (theta - 3)))
    ds = 3 * s * (1 - s)
    return ds * ((theta - 10) ** 2 / 2 + 50 - 10 * theta**2) + (1 - s) * 20 * theta + s * (
        theta - 10)


def reference_gd(theta0: np.ndarray, alpha: float, iterations: int) -> np.ndarray:
    theta = theta0.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(iterations):
            theta = theta - alpha * f_prime(theta)
    return theta


@check("wideMinima.py", 25, "gradient_descent matches GD run by the checker for alpha in "
       "{0.01, 0.3, 4} (inf/nan where it diverges)", registry=CHECKS)
def gradient_descent(mod) -> str:
    gd = attr(mod, "gradient_descent")
    rng = np.random.RandomState(1)
    for alpha, iterations in ((0.01, 1000), (0.3, 1000), (4.0, 200), (0.3, 7)):
        theta0 = rng.uniform(-5, 20, 20)
        with np.errstate(over="ignore", invalid="ignore"):
            got = gd(theta0.copy(), alpha, iterations)
        close(got, reference_gd(theta0, alpha, iterations),
              f"gradient_descent(theta0, {alpha}, {iterations})", atol=1e-8, rtol=1e-8)
    return "ok: same iterates as the checker's GD"


@check("wideMinima.py", 25, "classify labels iterates diverged / sharp / wide by the nearer "
       "minimiser", registry=CHECKS)
def classify(mod) -> str:
    fn = attr(mod, "classify")
    sharp, wide = float(attr(mod, "SHARP_MIN")), float(attr(mod, "WIDE_MIN"))
    require(abs(sharp) < 0.5 and abs(wide - 10) < 1, "SHARP_MIN / WIDE_MIN were changed")
    mid = (sharp + wide) / 2
    theta = np.array([np.inf, -np.inf, np.nan, sharp, wide, -3.0, 30.0, mid - 1e-6, mid + 1e-6,
                      mid, 4.0, 1e6])
    want = ["diverged", "diverged", "diverged", "sharp", "wide", "sharp", "wide", "sharp",
            "wide", "sharp", "sharp" if abs(4 - sharp) <= abs(4 - wide) else "wide", "wide"]
    got = [str(x) for x in fn(theta)]
    require(len(got) == len(want), f"classify returned {len(got)} labels for {len(want)} iterates")
    bad = [f"{t:g} -> {g!r} (expected {w!r})" for t, g, w in zip(theta, got, want, strict=True)
           if g != w]
    require(not bad, "classify: " + "; ".join(bad[:3]))
    return "ok"


def dense(k: np.ndarray, n: int) -> np.ndarray:
    """The banded (n-r+1) x n matrix of the valid cross-correlation."""
    r = len(k)
    A = np.zeros((n - r + 1, n))
    for j in range(n - r + 1):
        A[j, j:j + r] = k
    return A


@check("conv1D.py", 25, "Convolution1d: A @ x equals the dense banded matrix times x, "
       "and works without forming the matrix (n = 100,000)", registry=CHECKS)
def convolution(mod) -> str:
    cls = attr(mod, "Convolution1d")
    rng = np.random.RandomState(2)
    for r, n in ((3, 20), (1, 5), (5, 9), (4, 4)):
        k, x = rng.randn(r), rng.randn(n)
        close(cls(k, n) @ x, dense(k, n) @ x, f"Convolution1d(k, {n}) @ x with r = {r}",
              atol=1e-12)
    k, x = rng.randn(3), rng.randn(100_000)
    got = np.asarray(cls(k, 100_000) @ x)
    want = k[0] * x[:-2] + k[1] * x[1:-1] + k[2] * x[2:]
    close(got, want, "Convolution1d(k, 100000) @ x", atol=1e-12)
    return "ok: matches the dense matrix"


@check("conv1D.py", 25, "TransposedConvolution1d: A.T @ v equals the dense transpose, and "
       "<v, Ax> = <A^T v, x>", registry=CHECKS)
def transposed(mod) -> str:
    cls = attr(mod, "TransposedConvolution1d")
    rng = np.random.RandomState(3)
    for r, n in ((3, 20), (1, 5), (5, 9), (4, 4)):
        k, v = rng.randn(r), rng.randn(n - r + 1)
        close(cls(k, n) @ v, dense(k, n).T @ v, f"TransposedConvolution1d(k, {n}) @ v with "
              f"r = {r}", atol=1e-12)
        x = rng.randn(n)
        gap = abs(v @ (dense(k, n) @ x) - np.asarray(cls(k, n) @ v) @ x)
        require(gap < 1e-12, f"adjoint test <v, Ax> = <A^T v, x> fails by {gap:.3g}")
    k, v = rng.randn(3), rng.randn(100_000 - 2)
    want = np.zeros(100_000)
    for t in range(3):
        want[t:t + len(v)] += k[t] * v
    close(cls(k, 100_000) @ v, want, "TransposedConvolution1d(k, 100000) @ v", atol=1e-12)
    return "ok: matches the dense transpose"
