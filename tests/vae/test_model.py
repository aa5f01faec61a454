"""The VAE module: the ELBO's terms, the IWAE bound above the ELBO, beta, decoders."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from mfdnn.vae import VAE, BernoulliDecoder, GaussianDecoder, GaussianEncoder, vae_loss

pytestmark = pytest.mark.hw12


def small_vae(decoder: str = "bernoulli", beta: float = 1.0) -> VAE:
    torch.manual_seed(0)
    enc = GaussianEncoder(nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 4)))
    net = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 6))
    dec = BernoulliDecoder(net) if decoder == "bernoulli" else GaussianDecoder(net, sigma=0.3)
    return VAE(enc, dec, latent_dim=2, beta=beta)


def test_bernoulli_log_likelihood_is_the_sum_of_log_bernoulli_terms():
    model = small_vae()
    x = torch.bernoulli(torch.full((3, 6), 0.5))
    z = torch.randn(3, 2)
    p = torch.sigmoid(model.decoder.net(z))
    expected = (x * torch.log(p) + (1 - x) * torch.log(1 - p)).sum(1)
    torch.testing.assert_close(model.decoder.log_likelihood(x, z), expected)


def test_gaussian_decoder_is_150_mse_up_to_a_constant():
    # HW12 P3: sigma^2 = 1/150 gives -log p = 75 |x - f|^2 + const = 150 * mean over 2 coords
    dec = GaussianDecoder(nn.Identity(), sigma=1 / math.sqrt(150))
    x, f = torch.randn(5, 2), torch.randn(5, 2)
    nll = -dec.log_likelihood(x, f)
    const = math.log(2 * math.pi / 150)
    torch.testing.assert_close(nll - const, 150 * ((x - f) ** 2).mean(1))


def test_iwae_bound_exceeds_the_elbo_on_average_and_k1_equals_it():
    model = small_vae("gaussian")
    x = torch.randn(4, 6)
    torch.manual_seed(1)
    elbo = torch.stack([model.elbo(x) for _ in range(3000)]).mean(0)
    torch.manual_seed(1)
    iwae1 = torch.stack([model.iwae(x, 1) for _ in range(3000)]).mean(0)
    iwae50 = torch.stack([model.iwae(x, 50) for _ in range(200)]).mean(0)
    torch.testing.assert_close(iwae1, elbo, atol=0.05, rtol=0)
    assert (iwae50 > elbo).all()


def test_beta_scales_only_the_kl_term():
    model = small_vae("gaussian", beta=4.0)
    x = torch.randn(4, 6)
    torch.manual_seed(5)
    terms = model.elbo_terms(x)
    torch.manual_seed(5)
    loss = vae_loss(model, x)
    torch.testing.assert_close(loss, -(terms["log_likelihood"] - 4.0 * terms["kl"]).mean())


def test_a_few_steps_reduce_the_loss():
    model = small_vae()
    x = torch.bernoulli(torch.full((64, 6), 0.3))
    opt = torch.optim.Adam(model.parameters(), 1e-2)
    torch.manual_seed(0)
    first = vae_loss(model, x).item()
    for _ in range(100):
        loss = vae_loss(model, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert vae_loss(model, x).item() < first - 0.5
