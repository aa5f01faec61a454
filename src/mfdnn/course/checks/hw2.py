"""HW2 checks: ``twolayerSGD.py`` (the gradient of the 2-layer net against autograd, and a
short SGD run against the checker's own loop on the same random stream)."""

from __future__ import annotations

import numpy as np
import torch

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import close, field, items

CHECKS: list[Check] = []
P = 50


def autograd_gradient(theta: np.ndarray, x: float) -> np.ndarray:
    """grad_theta of f_theta(x) = sum_j u_j sigma(a_j x + b_j), by torch.autograd."""
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    a, b, u = t[:P], t[P:2 * P], t[2 * P:]
    value = (u * torch.sigmoid(a * x + b)).sum()
    (grad,) = torch.autograd.grad(value, t)
    return grad.numpy()


def f_th(theta: np.ndarray, x: float) -> float:
    a, b, u = theta[:P], theta[P:2 * P], theta[2 * P:]
    return float(u @ (1 / (1 + np.exp(-(a * x + b)))))


@check("twolayerSGD.py", 50, "diff_f_th equals the autograd gradient of f_theta(x) with "
       "respect to (a, b, u)", registry=CHECKS)
def diff_f_th(rng: np.random.RandomState) -> Case:
    cases = [{"theta": np.concatenate([rng.normal(0, 4, P), rng.normal(0, 4, P),
                                       rng.normal(0, 1, P)]), "x": float(rng.randn())}
             for _ in range(5)]
    wants = [autograd_gradient(c["theta"], c["x"]) for c in cases]

    def verdict(answer) -> str:
        got = items(field(answer, "grads"), "grads", len(cases))
        for c, g, w in zip(cases, got, wants, strict=True):
            close(g, w, f"diff_f_th(theta, {c['x']:.3f})", atol=1e-10, rtol=1e-8)
        return "ok: equals autograd"

    return Case({"cases": cases}, verdict)


@check("twolayerSGD.py", 50, "sgd: 40 single-sample steps (i = rng.randint(N)) give the "
       "checker's theta (run with the checker's gradient)", registry=CHECKS)
def sgd(rng: np.random.RandomState) -> Case:
    theta0 = np.concatenate([rng.normal(0, 4, P), rng.normal(0, 4, P), rng.normal(0, .05, P)])
    X = rng.randn(30)
    Y = (X - 2) * np.cos(4 * X)
    seed = int(rng.randint(2**31))
    theta, stream = theta0.copy(), np.random.RandomState(seed)
    for _ in range(40):
        i = stream.randint(len(X))
        theta = theta - 0.007 * (f_th(theta, X[i]) - Y[i]) * autograd_gradient(theta, X[i])

    def verdict(answer) -> str:
        close(field(answer, "theta"), theta, "theta after 40 SGD steps", atol=1e-9, rtol=1e-7)
        return "ok: same iterates"

    # the student's loop runs with the checker's gradient (the probe patches it in), so that
    # a wrong diff_f_th costs only its own check's points
    return Case({"theta0": theta0, "X": X, "Y": Y, "alpha": 0.007, "steps": 40, "seed": seed},
                verdict)
