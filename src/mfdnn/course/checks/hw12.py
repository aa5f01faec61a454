"""HW12 checks: ``minimax_logistic.py`` (full-batch objective and gradients against
autograd; a short run of simultaneous SGDA against the checker's loop) and ``swiss_roll.py``
(the generator's draws, the VAE loss against torch's KL, the two GAN losses against binary
cross-entropy)."""

from __future__ import annotations

import numpy as np
import torch

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import array, close, field, flag, items, require, shown, text

CHECKS: list[Check] = []


def autograd_objective(theta, phi, X, Y, lam):
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    f = torch.tensor(phi, dtype=torch.float64, requires_grad=True)
    Xt, Yt = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    # L = mean log(1 + exp(-Y_i (X_i - phi)^T theta)) - lam/2 ||phi||^2
    value = torch.nn.functional.softplus(-Yt * ((Xt - f) @ t)).mean() - lam / 2 * f @ f
    g_theta, g_phi = torch.autograd.grad(value, (t, f))
    return value.item(), g_theta.numpy(), g_phi.numpy()


def data(rng: np.random.RandomState):
    X = rng.randn(30, 20)
    Y = (2 * rng.randint(2, size=30) - 1).astype(np.float64)
    return X, Y, 0.1 * rng.randn(20), 0.1 * rng.randn(20)


@check("minimax_logistic.py", 20, "objective_and_gradients equals the objective and its "
       "autograd gradients", registry=CHECKS)
def objective_and_gradients(rng: np.random.RandomState) -> Case:
    cases = []
    for scale in (1.0, 5.0):
        X, Y, theta, phi = data(rng)
        cases.append({"theta": theta * scale, "phi": phi, "X": X, "Y": Y, "lam": 30.0})
    wants = [autograd_objective(c["theta"], c["phi"], c["X"], c["Y"], c["lam"]) for c in cases]

    def verdict(answer) -> str:
        for got, want in zip(items(field(answer, "cases"), "cases", 2), wants, strict=True):
            for g, w, what in zip(items(got, "a case", 3), want,
                                  ("L", "grad_theta L", "grad_phi L"), strict=True):
                close(g, w, what, atol=1e-10, rtol=1e-8)
        return "ok: equals autograd"

    return Case({"cases": cases}, verdict)


@check("minimax_logistic.py", 20, "sgda: 3 epochs of simultaneous SGDA give the checker's "
       "(theta, phi)", registry=CHECKS)
def sgda(rng: np.random.RandomState) -> Case:
    X, Y, theta0, phi0 = data(rng)
    alpha, beta, lam, seed = 0.3, 1e-2, 30.0, int(rng.randint(2**31))
    theta, phi = theta0.copy(), phi0.copy()
    stream = np.random.RandomState(seed)
    for _ in range(3 * len(X)):
        i = stream.randint(len(X))
        _, g_theta, g_phi = autograd_objective(theta, phi, X[i:i + 1], Y[i:i + 1], lam)
        theta, phi = theta - alpha * g_theta, phi + beta * g_phi  # both from the old point

    def verdict(answer) -> str:
        close(field(answer, "theta"), theta, "theta after 3 epochs", atol=1e-9, rtol=1e-7)
        close(field(answer, "phi"), phi, "phi after 3 epochs", atol=1e-9, rtol=1e-7)
        return "ok: same iterates"

    return Case({"theta0": theta0, "phi0": phi0, "X": X, "Y": Y, "alpha": alpha, "beta": beta,
                 "lam": lam, "epochs": 3, "seed": seed}, verdict)


def swiss_roll_oracle(n: int, rng: np.random.RandomState) -> np.ndarray:
    t = 2 * np.pi * np.sqrt(rng.uniform(0.25, 4, n))  # all uniforms first
    noise = rng.multivariate_normal(np.zeros(2), np.eye(2), n)  # then one (n, 2) call
    return np.stack([0.1 * t * np.cos(t), 0.1 * t * np.sin(t)], axis=1) + 0.025 * noise


@check("swiss_roll.py", 15, "make_swiss_roll: the uniforms, then one multivariate_normal "
       "call, as float32 n x 2", registry=CHECKS)
def make_swiss_roll(rng: np.random.RandomState) -> Case:
    n, seed = int(rng.randint(300, 700)), int(rng.randint(2**31))
    want = swiss_roll_oracle(n, np.random.RandomState(seed)).astype(np.float32)

    def verdict(answer) -> str:
        kind, dtype = text(field(answer, "type"), "type"), text(field(answer, "dtype"), "dtype")
        require(flag(field(answer, "is_tensor"), "is_tensor") and dtype == "torch.float32",
                f"expected a float32 tensor, got {shown(kind, 30)} {shown(dtype, 30)}")
        points = array(field(answer, "points"), "points")
        close(points, want, f"the {n} points (same stream)", atol=1e-6)
        radius = np.linalg.norm(points, axis=1)
        require(0.2 < radius.min() and radius.max() < 1.4, "radii outside [0.2, 1.4]")
        return "ok"

    return Case({"n": n, "seed": seed}, verdict)


def _loss(answer) -> float:
    return field(answer, "loss")


@check("swiss_roll.py", 15, "vae_loss: 150 MSE + KL(N(mu, sigma^2) || N(0, 1)) averaged over "
       "the batch (KL against torch.distributions)", registry=CHECKS)
def vae_loss(rng: np.random.RandomState) -> Case:
    args = {"x": rng.randn(16, 2), "x_hat": rng.randn(16, 2), "mu": rng.randn(16, 1),
            "log_sigma": 0.5 * rng.randn(16, 1)}
    t = {k: torch.tensor(v, dtype=torch.float32) for k, v in args.items()}
    kl = torch.distributions.kl_divergence(torch.distributions.Normal(t["mu"],
                                                                      t["log_sigma"].exp()),
                                           torch.distributions.Normal(0.0, 1.0))
    want = float(150 * torch.nn.functional.mse_loss(t["x_hat"], t["x"]) + kl.sum(1).mean())

    def verdict(answer) -> str:
        close(_loss(answer), want, "the VAE loss", atol=1e-4, rtol=1e-5)
        return "ok"

    return Case(args, verdict)


@check("swiss_roll.py", 15, "discriminator_loss: mean(-log D(x) - log(1 - D(G(z))))",
       registry=CHECKS)
def discriminator_loss(rng: np.random.RandomState) -> Case:
    d_real, d_fake = rng.uniform(0.05, 0.95, (10, 1)), rng.uniform(0.05, 0.95, (10, 1))
    real, fake = (torch.tensor(v, dtype=torch.float32) for v in (d_real, d_fake))
    bce = torch.nn.functional.binary_cross_entropy
    want = float(bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake)))

    def verdict(answer) -> str:
        close(_loss(answer), want, "the discriminator loss", atol=1e-5)
        return "ok"

    return Case({"d_real": d_real, "d_fake": d_fake}, verdict)


@check("swiss_roll.py", 15, "generator_loss: the saturating mean(log(1 - D(G(z'))))",
       registry=CHECKS)
def generator_loss(rng: np.random.RandomState) -> Case:
    d_fake = rng.uniform(0.05, 0.95, (10, 1))
    fake = torch.tensor(d_fake, dtype=torch.float32)
    want = -float(torch.nn.functional.binary_cross_entropy(fake, torch.zeros_like(fake)))

    def verdict(answer) -> str:
        close(_loss(answer), want, "the generator loss (not the non-saturating one)",
              atol=1e-5)
        return "ok"

    return Case({"d_fake": d_fake}, verdict)
