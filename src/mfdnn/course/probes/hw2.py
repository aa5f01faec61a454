"""HW2 probes: ``twolayerSGD.py`` (NumPy only)."""

from __future__ import annotations

import numpy as np

from ._common import attr, floats

P = 50


def checker_gradient(theta, x):
    """grad_theta of f_theta(x) = sum_j u_j sigma(a_j x + b_j), written out: the probe runs
    the student's SGD loop with it, so a wrong diff_f_th costs only its own check."""
    a, b, u = theta[:P], theta[P:2 * P], theta[2 * P:]
    s = 1 / (1 + np.exp(-(a * x + b)))
    return np.concatenate([u * s * (1 - s) * x, u * s * (1 - s), s])


def diff_f_th(mod, req):
    fn = attr(mod, "diff_f_th")
    return {"grads": [floats(fn(c["theta"].copy(), c["x"]), f"diff_f_th(theta, {c['x']:.3f})")
                      for c in req["cases"]]}


def sgd(mod, req):
    fn = attr(mod, "sgd")
    saved = getattr(mod, "diff_f_th", None)
    mod.diff_f_th = checker_gradient
    try:
        got = fn(req["theta0"].copy(), req["X"].copy(), req["Y"].copy(), req["alpha"],
                 req["steps"], np.random.RandomState(req["seed"]))
    finally:
        mod.diff_f_th = saved
    return {"theta": floats(got, "sgd")}
