"""HW1 checks: ``wideMinima.py`` (GD from many starts, classification) and ``conv1D.py``
(matrix-free convolution and its transpose against the dense banded matrix)."""

from __future__ import annotations

import numpy as np

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import array, close, field, items, number, require, shown, texts

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
def gradient_descent(rng: np.random.RandomState) -> Case:
    cases = [{"theta0": rng.uniform(-5, 20, 20), "alpha": alpha, "iterations": iterations}
             for alpha, iterations in ((0.01, 1000), (0.3, 1000), (4.0, 200), (0.3, 7))]
    wants = [reference_gd(c["theta0"], c["alpha"], c["iterations"]) for c in cases]

    def verdict(answer) -> str:
        got = items(field(answer, "theta"), "theta", len(cases))
        for c, g, w in zip(cases, got, wants, strict=True):
            close(g, w, f"gradient_descent(theta0, {c['alpha']}, {c['iterations']})",
                  atol=1e-8, rtol=1e-8)
        return "ok: same iterates as the checker's GD"

    return Case({"cases": cases}, verdict)


@check("wideMinima.py", 25, "classify labels iterates diverged / sharp / wide by the nearer "
       "minimiser", registry=CHECKS)
def classify(rng: np.random.RandomState) -> Case:
    fixed = np.concatenate([[np.inf, -np.inf, np.nan, -3.0, 30.0, 4.0, 1e6],
                            rng.uniform(-10, 30, 8)])

    def verdict(answer) -> str:
        sharp, wide = number(field(answer, "sharp"), "sharp"), number(field(answer, "wide"),
                                                                        "wide")
        require(abs(sharp) < 0.5 and abs(wide - 10) < 1, "SHARP_MIN / WIDE_MIN were changed")
        mid = (sharp + wide) / 2  # the probe adds these points around the file's minimisers
        theta = np.concatenate([fixed, [sharp, wide, mid - 1e-6, mid + 1e-6, mid]])
        want = ["diverged" if not np.isfinite(t) else
                "sharp" if abs(t - sharp) <= abs(t - wide) else "wide" for t in theta]
        got = texts(field(answer, "labels"), "labels")
        require(len(got) == len(want),
                f"classify returned {len(got)} labels for {len(want)} iterates")
        bad = [f"{t:g} -> {shown(g, 20)} (expected {w!r})"
               for t, g, w in zip(theta, got, want, strict=True) if g != w]
        require(not bad, "classify: " + "; ".join(bad[:3]))
        return "ok"

    return Case({"fixed": fixed}, verdict)


def dense(k: np.ndarray, n: int) -> np.ndarray:
    """The banded (n-r+1) x n matrix of the valid cross-correlation."""
    r = len(k)
    A = np.zeros((n - r + 1, n))
    for j in range(n - r + 1):
        A[j, j:j + r] = k
    return A


SIZES = ((3, 20), (1, 5), (5, 9), (4, 4))
BIG = 100_000


@check("conv1D.py", 25, "Convolution1d: A @ x equals the dense banded matrix times x, "
       "and works without forming the matrix (n = 100,000)", registry=CHECKS)
def convolution(rng: np.random.RandomState) -> Case:
    cases = [{"k": rng.randn(r), "n": n, "x": rng.randn(n)} for r, n in SIZES]
    k, x = rng.randn(3), rng.randn(BIG)
    cases.append({"k": k, "n": BIG, "x": x})
    wants = [dense(c["k"], c["n"]) @ c["x"] for c in cases[:-1]]
    wants.append(k[0] * x[:-2] + k[1] * x[1:-1] + k[2] * x[2:])

    def verdict(answer) -> str:
        got = items(field(answer, "Ax"), "Ax", len(cases))
        for c, g, w in zip(cases, got, wants, strict=True):
            what = (f"Convolution1d(k, {c['n']}) @ x with r = {len(c['k'])}" if c["n"] < BIG
                    else f"Convolution1d(k, {BIG}) @ x")
            close(g, w, what, atol=1e-12)
        return "ok: matches the dense matrix"

    return Case({"cases": cases}, verdict)


@check("conv1D.py", 25, "TransposedConvolution1d: A.T @ v equals the dense transpose, and "
       "<v, Ax> = <A^T v, x>", registry=CHECKS)
def transposed(rng: np.random.RandomState) -> Case:
    cases, xs = [], []
    for r, n in SIZES:
        cases.append({"k": rng.randn(r), "n": n, "v": rng.randn(n - r + 1)})
        xs.append(rng.randn(n))
    k, v = rng.randn(3), rng.randn(BIG - 2)
    cases.append({"k": k, "n": BIG, "v": v})
    wants = [dense(c["k"], c["n"]).T @ c["v"] for c in cases[:-1]]
    big = np.zeros(BIG)
    for t in range(3):
        big[t:t + len(v)] += k[t] * v
    wants.append(big)

    def verdict(answer) -> str:
        got = items(field(answer, "ATv"), "ATv", len(cases))
        for c, g, w, x in zip(cases[:-1], got, wants, xs, strict=False):
            n, r = c["n"], len(c["k"])
            close(g, w, f"TransposedConvolution1d(k, {n}) @ v with r = {r}", atol=1e-12)
            gap = abs(c["v"] @ (dense(c["k"], n) @ x) - array(g, "A^T v") @ x)
            require(gap < 1e-12, f"adjoint test <v, Ax> = <A^T v, x> fails by {gap:.3g}")
        close(got[-1], wants[-1], f"TransposedConvolution1d(k, {BIG}) @ v", atol=1e-12)
        return "ok: matches the dense transpose"

    return Case({"cases": cases}, verdict)
