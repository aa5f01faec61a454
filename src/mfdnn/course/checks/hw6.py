"""HW6 checks: ``ddescent.py`` (features, ridge against the least-squares solution of the
augmented system, and the validation choice of lambda run with the checker's ridge)."""

from __future__ import annotations

import numpy as np

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


def ridge_oracle(F: np.ndarray, Y: np.ndarray, lam: float) -> np.ndarray:
    """argmin ||F theta - Y||^2 + lam ||theta||^2 as least squares on [F; sqrt(lam) I]."""
    p = F.shape[1]
    A = np.vstack([F, np.sqrt(lam) * np.eye(p)])
    return np.linalg.lstsq(A, np.concatenate([Y, np.zeros(p)]), rcond=None)[0]


@check("ddescent.py", 20, "relu_features equals ReLU(X W^T)", registry=CHECKS)
def relu_features(mod) -> str:
    fn = attr(mod, "relu_features")
    rng = np.random.RandomState(0)
    X, W = rng.randn(7, 35), rng.randn(11, 35)
    close(fn(X, W), np.where(X @ W.T > 0, X @ W.T, 0.0), "relu_features(X, W)", atol=1e-12)
    return "ok"


@check("ddescent.py", 40, "ridge equals the minimiser of ||F theta - Y||^2 + lambda "
       "||theta||^2 (under- and over-parameterised)", registry=CHECKS)
def ridge(mod) -> str:
    fn = attr(mod, "ridge")
    rng = np.random.RandomState(1)
    for n, p, lam in ((30, 5, 0.01), (20, 40, 0.5), (10, 10, 2.0 ** -6)):
        F, Y = rng.randn(n, p), rng.randn(n)
        close(fn(F, Y, lam), ridge_oracle(F, Y, lam), f"ridge with n={n}, p={p}, "
              f"lambda={lam:g}", atol=1e-8, rtol=1e-6)
    return "ok"


@check("ddescent.py", 40, "tuned_test_error picks lambda by validation residual norm and "
       "returns its test residual norm (run with the checker's ridge)", registry=CHECKS)
def tuned_test_error(mod) -> str:
    fn = attr(mod, "tuned_test_error")
    rng = np.random.RandomState(2)
    F_train, Y_train = rng.randn(40, 25), rng.randn(40)
    F_val, Y_val, F_test, Y_test = rng.randn(15, 25), rng.randn(15), rng.randn(9, 25), \
        rng.randn(9)
    lambdas = 2.0 ** np.arange(-6, 6)
    errors = []
    for lam in lambdas:
        theta = ridge_oracle(F_train, Y_train, lam)
        errors.append((np.linalg.norm(F_val @ theta - Y_val),
                       np.linalg.norm(F_test @ theta - Y_test)))
    best = int(np.argmin([e[0] for e in errors]))
    saved = mod.ridge if hasattr(mod, "ridge") else None
    mod.ridge = ridge_oracle  # a wrong ridge costs only its own check
    try:
        result = fn(F_train, Y_train, F_val, Y_val, F_test, Y_test, lambdas)
    finally:
        mod.ridge = saved
    require(isinstance(result, tuple | list) and len(result) == 2,
            "tuned_test_error must return (lambda, test error)")
    close(float(result[0]), lambdas[best], "the chosen lambda", atol=0)
    close(float(result[1]), errors[best][1], "the test error (residual norm, not squared)",
          atol=1e-8, rtol=1e-6)
    return "ok"
