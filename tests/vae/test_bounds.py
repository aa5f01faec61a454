"""ELBO, IWAE and the Gaussian KL (HW9 P5, HW11 P1, Chapter 5.3)."""

from __future__ import annotations

import math

import pytest
import torch
from torch.distributions import MultivariateNormal, Normal, kl_divergence

from mfdnn.vae import (
    diagonal_gaussian_kl,
    exact_discrete,
    gaussian_kl,
    iwae_bound,
    standard_normal_kl,
)

pytestmark = [pytest.mark.hw9, pytest.mark.hw11]


def gmm_log_joint(x: torch.Tensor) -> torch.Tensor:
    """log p(x, z) of a 1-D mixture of 3 Gaussians with a uniform latent z in {0, 1, 2}."""
    means = torch.tensor([-2.0, 0.5, 3.0], dtype=torch.float64)
    stds = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)
    return Normal(means, stds).log_prob(x.unsqueeze(-1)) + math.log(1 / 3)


def test_elbo_is_below_log_likelihood_with_gap_the_kl_to_the_posterior():
    gen = torch.Generator().manual_seed(0)
    x = torch.linspace(-4, 5, 7, dtype=torch.float64)
    log_joint = gmm_log_joint(x)
    for _ in range(5):
        log_q = torch.log_softmax(torch.randn(7, 3, generator=gen, dtype=torch.float64), -1)
        r = exact_discrete(log_joint, log_q)
        assert (r["elbo"] <= r["log_px"] + 1e-12).all()
        torch.testing.assert_close(r["log_px"] - r["elbo"], r["kl_to_posterior"])
        assert (r["kl_to_posterior"] >= 0).all()
    # tight when q is the posterior
    posterior = log_joint - torch.logsumexp(log_joint, -1, keepdim=True)
    r = exact_discrete(log_joint, posterior)
    torch.testing.assert_close(r["elbo"], r["log_px"])


def test_iwae_bound_grows_with_k_and_stays_below_log_likelihood():
    # z ~ N(0, 1), x | z ~ N(z, s^2): log p(x) = log N(x; 0, 1 + s^2); q(z | x) = N(a x, t^2)
    s, a, t, x = 0.5, 0.5, 0.8, 1.3
    log_px = Normal(0.0, math.sqrt(1 + s * s)).log_prob(torch.tensor(x)).item()
    gen = torch.Generator().manual_seed(0)
    bounds = {}
    for k in (1, 5, 50):
        z = a * x + t * torch.randn(4000, k, generator=gen, dtype=torch.float64)
        log_w = (Normal(z, s).log_prob(torch.tensor(x, dtype=torch.float64))
                 + Normal(0.0, 1.0).log_prob(z) - Normal(a * x, t).log_prob(z))
        bounds[k] = iwae_bound(log_w.T).mean().item()  # (K, replicates) -> mean over replicates
    assert bounds[1] < bounds[5] < bounds[50] < log_px
    assert log_px - bounds[50] < 0.2 * (log_px - bounds[1])
    # K = 1 is the ELBO: E_q log p(x|z) + E_q log p(z) - E_q log q, in closed form here
    elbo = (-0.5 * math.log(2 * math.pi * s * s) - ((x - a * x) ** 2 + t * t) / (2 * s * s)
            - 0.5 * math.log(2 * math.pi) - ((a * x) ** 2 + t * t) / 2
            + 0.5 * math.log(2 * math.pi * math.e * t * t))
    assert bounds[1] == pytest.approx(elbo, abs=0.03)


def test_gaussian_kl_closed_form_matches_torch_and_monte_carlo():
    gen = torch.Generator().manual_seed(1)
    d = 3
    A0 = torch.randn(d, d, generator=gen, dtype=torch.float64)
    A1 = torch.randn(d, d, generator=gen, dtype=torch.float64)
    cov0, cov1 = A0 @ A0.T + 0.5 * torch.eye(d), A1 @ A1.T + 0.5 * torch.eye(d)
    mu0 = torch.randn(d, generator=gen, dtype=torch.float64)
    mu1 = torch.randn(d, generator=gen, dtype=torch.float64)
    ours = gaussian_kl(mu0, cov0, mu1, cov1)
    p, q = MultivariateNormal(mu0, cov0), MultivariateNormal(mu1, cov1)
    torch.testing.assert_close(ours, kl_divergence(p, q))
    torch.manual_seed(2)
    samples = p.sample((200000,))
    monte_carlo = (p.log_prob(samples) - q.log_prob(samples)).mean()
    assert abs(monte_carlo - ours) < 0.02 * max(1.0, ours.item())


def test_diagonal_and_standard_normal_kl():
    gen = torch.Generator().manual_seed(3)
    mu0, mu1 = torch.randn(2, 4, generator=gen, dtype=torch.float64)
    ls0, ls1 = 0.3 * torch.randn(2, 4, generator=gen, dtype=torch.float64)
    full = gaussian_kl(mu0, torch.diag(torch.exp(2 * ls0)), mu1, torch.diag(torch.exp(2 * ls1)))
    torch.testing.assert_close(diagonal_gaussian_kl(mu0, ls0, mu1, ls1), full)
    zeros = torch.zeros(4, dtype=torch.float64)
    torch.testing.assert_close(standard_normal_kl(mu0, ls0),
                               diagonal_gaussian_kl(mu0, ls0, zeros, zeros))
    assert standard_normal_kl(zeros, zeros).item() == 0
    # additive over independent components (HW9 P4)
    per_coordinate = sum(standard_normal_kl(mu0[i:i + 1], ls0[i:i + 1]) for i in range(4))
    torch.testing.assert_close(per_coordinate, standard_normal_kl(mu0, ls0))
