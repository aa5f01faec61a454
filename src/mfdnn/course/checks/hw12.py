"""HW12 checks: ``minimax_logistic.py`` (full-batch objective and gradients against
autograd; a short run of simultaneous SGDA against the checker's loop) and ``swiss_roll.py``
(the generator's draws, the VAE loss against torch's KL, the two GAN losses against binary
cross-entropy)."""

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


@check("minimax_logistic.py", 20, "objective_and_gradients equals the objective and its "
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


@check("minimax_logistic.py", 20, "sgda: 3 epochs of simultaneous SGDA give the checker's "
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


def swiss_roll_oracle(n: int, rng: np.random.RandomState) -> np.ndarray:
    t = 2 * np.pi * np.sqrt(rng.uniform(0.25, 4, n))  # all uniforms first
    noise = rng.multivariate_normal(np.zeros(2), np.eye(2), n)  # then one (n, 2) call
    return np.stack([0.1 * t * np.cos(t), 0.1 * t * np.sin(t)], axis=1) + 0.025 * noise


@check("swiss_roll.py", 15, "make_swiss_roll: the uniforms, then one multivariate_normal "
       "call, as float32 n x 2", registry=CHECKS)
def make_swiss_roll(mod) -> str:
    fn = attr(mod, "make_swiss_roll")
    got = fn(500, np.random.RandomState(4))
    require(isinstance(got, torch.Tensor) and got.dtype == torch.float32,
            f"expected a float32 tensor, got {type(got).__name__} {getattr(got, 'dtype', '')}")
    close(got, swiss_roll_oracle(500, np.random.RandomState(4)).astype(np.float32),
          "the 500 points (same stream)", atol=1e-6)
    radius = got.norm(dim=1)
    require(0.2 < radius.min() and radius.max() < 1.4, "radii outside [0.2, 1.4]")
    return "ok"


@check("swiss_roll.py", 15, "vae_loss: 150 MSE + KL(N(mu, sigma^2) || N(0, 1)) averaged over "
       "the batch (KL against torch.distributions)", registry=CHECKS)
def vae_loss(mod) -> str:
    fn = attr(mod, "vae_loss")
    g = torch.Generator().manual_seed(0)
    x, x_hat = torch.randn(16, 2, generator=g), torch.randn(16, 2, generator=g)
    mu, log_sigma = torch.randn(16, 1, generator=g), 0.5 * torch.randn(16, 1, generator=g)
    kl = torch.distributions.kl_divergence(torch.distributions.Normal(mu, log_sigma.exp()),
                                           torch.distributions.Normal(0.0, 1.0))
    want = 150 * torch.nn.functional.mse_loss(x_hat, x) + kl.sum(1).mean()
    close(float(fn(x, x_hat, mu, log_sigma)), float(want), "the VAE loss", atol=1e-4,
          rtol=1e-5)
    return "ok"


@check("swiss_roll.py", 15, "discriminator_loss: mean(-log D(x) - log(1 - D(G(z))))",
       registry=CHECKS)
def discriminator_loss(mod) -> str:
    fn = attr(mod, "discriminator_loss")
    g = torch.Generator().manual_seed(1)
    d_real, d_fake = torch.rand(10, 1, generator=g), torch.rand(10, 1, generator=g)
    bce = torch.nn.functional.binary_cross_entropy
    want = bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake))
    close(float(fn(d_real, d_fake)), float(want), "the discriminator loss", atol=1e-5)
    return "ok"


@check("swiss_roll.py", 15, "generator_loss: the saturating mean(log(1 - D(G(z'))))",
       registry=CHECKS)
def generator_loss(mod) -> str:
    fn = attr(mod, "generator_loss")
    d_fake = torch.rand(10, 1, generator=torch.Generator().manual_seed(2))
    want = -torch.nn.functional.binary_cross_entropy(d_fake, torch.zeros_like(d_fake))
    close(float(fn(d_fake)), float(want), "the generator loss (not the non-saturating one)",
          atol=1e-5)
    return "ok"
