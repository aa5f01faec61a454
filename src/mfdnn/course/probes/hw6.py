"""HW6 probes: ``ddescent.py`` (NumPy only)."""

from __future__ import annotations

import numpy as np

from ._common import attr, floats, number, pair


def checker_ridge(F, Y, lam):
    """argmin ||F theta - Y||^2 + lam ||theta||^2 as least squares on [F; sqrt(lam) I]: the
    probe runs the student's tuned_test_error with it, so a wrong ridge costs only its check."""
    p = F.shape[1]
    A = np.vstack([F, np.sqrt(lam) * np.eye(p)])
    return np.linalg.lstsq(A, np.concatenate([Y, np.zeros(p)]), rcond=None)[0]


def relu_features(mod, req):
    fn = attr(mod, "relu_features")
    return {"features": floats(fn(req["X"].copy(), req["W"].copy()), "relu_features(X, W)")}


def ridge(mod, req):
    fn = attr(mod, "ridge")
    return {"theta": [floats(fn(c["F"].copy(), c["Y"].copy(), c["lam"]), "ridge")
                      for c in req["cases"]]}


def tuned_test_error(mod, req):
    fn = attr(mod, "tuned_test_error")
    saved = mod.ridge if hasattr(mod, "ridge") else None
    mod.ridge = checker_ridge
    try:
        result = fn(*(req[k].copy() for k in ("F_train", "Y_train", "F_val", "Y_val",
                                              "F_test", "Y_test", "lambdas")))
    finally:
        mod.ridge = saved
    lam, error = pair(result, 2, "tuned_test_error must return (lambda, test error)")
    return {"lambda": number(lam, "the chosen lambda"), "error": number(error, "the test error")}
