"""HW12 checks: ``minimax_logistic.py`` (full-batch objective and gradients against
autograd; a short run of simultaneous SGDA against the checker's loop)."""

from __future__ import annotations

import numpy as np
import torch

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


def autograd_objective(theta, phi, X, Y, lam):
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    f = torch.tensor(phi, dtype=torch.float64, requires_grad=True)
    Xt, Yt = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    # L = mean log(1 + exp(-Y_i (X_i - phi)^T theta)) - lam/2 ||phi||^2
    value = torch.nn.functional.softplus(-Yt * ((Xt - f) @ t)).mean() - lam / 2 * f @ f
    g_theta, g_phi = torch.autograd.grad(value, (t, f))
    return value.item(), g_theta.numpy(), g_phi.numpy()


def data(seed: int):
    rng = np.random.RandomState(seed)
    X = rng.randn(30, 20)
    Y = 2 * rng.randint(2, size=30) - 1
    return X, Y, 0.1 * rng.randn(20), 0.1 * rng.randn(20)


@check("minimax_logistic.py", 50, "objective_and_gradients equals the objective and its "
       "autograd gradients", registry=CHECKS)
def objective_and_gradients(mod) -> str:
    fn = attr(mod, "objective_and_gradients")
    for seed, scale in ((0, 1.0), (1, 5.0)):
        X, Y, theta, phi = data(seed)
        got = fn(theta * scale, phi, X, Y, 30.0)
        require(isinstance(got, tuple | list) and len(got) == 3,
                "objective_and_gradients must return (L, grad_theta, grad_phi)")
        want = autograd_objective(theta * scale, phi, X, Y, 30.0)
        for g, w, what in zip(got, want, ("L", "grad_theta L", "grad_phi L"), strict=True):
            close(g, w, what, atol=1e-10, rtol=1e-8)
    return "ok: equals autograd"


@check("minimax_logistic.py", 50, "sgda: 3 epochs of simultaneous SGDA give the checker's "
       "(theta, phi)", registry=CHECKS)
def sgda(mod) -> str:
    fn = attr(mod, "sgda")
    X, Y, theta0, phi0 = data(0)
    alpha, beta, lam = 0.3, 1e-2, 30.0
    theta, phi = theta0.copy(), phi0.copy()
    stream = np.random.RandomState(3)
    for _ in range(3 * len(X)):
        i = stream.randint(len(X))
        _, g_theta, g_phi = autograd_objective(theta, phi, X[i:i + 1], Y[i:i + 1], lam)
        theta, phi = theta - alpha * g_theta, phi + beta * g_phi  # both from the old point
    got = fn(theta0.copy(), phi0.copy(), X, Y, alpha, beta, lam, 3, np.random.RandomState(3))
    require(isinstance(got, tuple | list) and len(got) == 2, "sgda must return (theta, phi)")
    close(got[0], theta, "theta after 3 epochs", atol=1e-9, rtol=1e-7)
    close(got[1], phi, "phi after 3 epochs", atol=1e-9, rtol=1e-7)
    return "ok: same iterates"
