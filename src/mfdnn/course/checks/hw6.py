"""HW6 checks: ``ddescent.py`` (features, ridge against the least-squares solution of the
augmented system, and the validation choice of lambda run with the checker's ridge)."""

from __future__ import annotations

import numpy as np

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import close, field, items

CHECKS: list[Check] = []


def ridge_oracle(F: np.ndarray, Y: np.ndarray, lam: float) -> np.ndarray:
    """argmin ||F theta - Y||^2 + lam ||theta||^2 as least squares on [F; sqrt(lam) I]."""
    p = F.shape[1]
    A = np.vstack([F, np.sqrt(lam) * np.eye(p)])
    return np.linalg.lstsq(A, np.concatenate([Y, np.zeros(p)]), rcond=None)[0]


@check("ddescent.py", 20, "relu_features equals ReLU(X W^T)", registry=CHECKS)
def relu_features(rng: np.random.RandomState) -> Case:
    X, W = rng.randn(7, 35), rng.randn(11, 35)
    want = np.where(X @ W.T > 0, X @ W.T, 0.0)

    def verdict(answer) -> str:
        close(field(answer, "features"), want, "relu_features(X, W)", atol=1e-12)
        return "ok"

    return Case({"X": X, "W": W}, verdict)


@check("ddescent.py", 40, "ridge equals the minimiser of ||F theta - Y||^2 + lambda "
       "||theta||^2 (under- and over-parameterised)", registry=CHECKS)
def ridge(rng: np.random.RandomState) -> Case:
    cases = [{"F": rng.randn(n, p), "Y": rng.randn(n), "lam": lam}
             for n, p, lam in ((30, 5, 0.01), (20, 40, 0.5), (10, 10, 2.0 ** -6))]
    wants = [ridge_oracle(c["F"], c["Y"], c["lam"]) for c in cases]

    def verdict(answer) -> str:
        got = items(field(answer, "theta"), "theta", len(cases))
        for c, g, w in zip(cases, got, wants, strict=True):
            n, p = c["F"].shape
            close(g, w, f"ridge with n={n}, p={p}, lambda={c['lam']:g}", atol=1e-8, rtol=1e-6)
        return "ok"

    return Case({"cases": cases}, verdict)


@check("ddescent.py", 40, "tuned_test_error picks lambda by validation residual norm and "
       "returns its test residual norm (run with the checker's ridge)", registry=CHECKS)
def tuned_test_error(rng: np.random.RandomState) -> Case:
    data = {"F_train": rng.randn(40, 25), "Y_train": rng.randn(40), "F_val": rng.randn(15, 25),
            "Y_val": rng.randn(15), "F_test": rng.randn(9, 25), "Y_test": rng.randn(9),
            "lambdas": 2.0 ** np.arange(-6, 6)}
    errors = []
    for lam in data["lambdas"]:
        theta = ridge_oracle(data["F_train"], data["Y_train"], lam)
        errors.append((np.linalg.norm(data["F_val"] @ theta - data["Y_val"]),
                       np.linalg.norm(data["F_test"] @ theta - data["Y_test"])))
    best = int(np.argmin([e[0] for e in errors]))

    def verdict(answer) -> str:
        close(field(answer, "lambda"), data["lambdas"][best], "the chosen lambda", atol=0)
        close(field(answer, "error"), errors[best][1], "the test error (residual norm, not "
              "squared)", atol=1e-8, rtol=1e-6)
        return "ok"

    # the probe runs the student's loop with the checker's ridge: a wrong ridge costs only
    # its own check's points
    return Case(data, verdict)
