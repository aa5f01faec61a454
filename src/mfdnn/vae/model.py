"""The VAE of Chapter 5.3: a Gaussian encoder, a Bernoulli or Gaussian decoder, the ELBO.

Data are flat vectors (B, D); latents (B, k), or (K, B, k) for K importance samples.

* Encoder q_phi(z | x) = N(mu_phi(x), diag sigma_phi(x)^2): a network whose 2k outputs are
  (mu, log sigma).
* Reparameterisation: Z = mu + sigma * eps, eps ~ N(0, I).
* Decoders p_theta(x | z):
  * Bernoulli (binary pixels) with logits f_theta(z):
    log p = sum [x log sigmoid(f) + (1 - x) log sigmoid(-f)];
  * Gaussian N(f_theta(z), sigma^2 I) with a fixed sigma:
    log p = -|x - f|^2 / (2 sigma^2) - (D/2) log(2 pi sigma^2).
* ELBO = E_q log p_theta(x | Z) - beta KL(q_phi(. | x) || N(0, I)), beta = 1 for the VAE
  and beta != 1 for the beta-VAE. The loss is -ELBO averaged over the batch.
* IWAE bound with K importance samples, from :func:`mfdnn.vae.bounds.iwae_bound`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mfdnn.vae.bounds import iwae_bound
from mfdnn.vae.kl import standard_normal_kl


class GaussianEncoder(nn.Module):
    """Wraps a network with 2k outputs into (mu, log sigma)."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        mu, log_sigma = self.net(x).chunk(2, dim=-1)
        return mu, log_sigma


class BernoulliDecoder(nn.Module):
    """p(x | z) = Bernoulli(sigmoid(f(z))) per pixel; ``net`` returns the logits f(z)."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def log_likelihood(self, x: Tensor, z: Tensor) -> Tensor:
        """sum_d log Bernoulli(x_d; sigmoid(f_d(z))); x is (B, D), z is (..., B, k)."""
        logits = self.net(z)
        return -F.binary_cross_entropy_with_logits(
            logits, x.expand_as(logits), reduction="none").sum(-1)

    def mean(self, z: Tensor) -> Tensor:
        return torch.sigmoid(self.net(z))


class GaussianDecoder(nn.Module):
    """p(x | z) = N(f(z), sigma^2 I) with a fixed sigma."""

    def __init__(self, net: nn.Module, sigma: float):
        super().__init__()
        self.net = net
        self.sigma = sigma

    def log_likelihood(self, x: Tensor, z: Tensor) -> Tensor:
        mean = self.net(z)
        d = mean.shape[-1]
        return (-(x - mean).pow(2).sum(-1) / (2 * self.sigma**2)
                - 0.5 * d * math.log(2 * math.pi * self.sigma**2))

    def mean(self, z: Tensor) -> Tensor:
        return self.net(z)


def reparameterize(mu: Tensor, log_sigma: Tensor, generator: torch.Generator | None = None
                   ) -> Tensor:
    """Z = mu + sigma * eps, eps ~ N(0, I)."""
    eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
    return mu + torch.exp(log_sigma) * eps


class VAE(nn.Module):
    def __init__(self, encoder: GaussianEncoder, decoder: nn.Module, latent_dim: int,
                 beta: float = 1.0):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.latent_dim = latent_dim
        self.beta = beta

    def elbo_terms(self, x: Tensor) -> dict[str, Tensor]:
        """One-sample reconstruction term E_q log p(x | Z) and the closed-form KL, per x."""
        mu, log_sigma = self.encoder(x)
        z = reparameterize(mu, log_sigma)
        return {"log_likelihood": self.decoder.log_likelihood(x, z),
                "kl": standard_normal_kl(mu, log_sigma)}

    def elbo(self, x: Tensor) -> Tensor:
        """ELBO per x (beta = 1): E_q log p(x | Z) - KL(q || p_Z), one sample of Z."""
        terms = self.elbo_terms(x)
        return terms["log_likelihood"] - terms["kl"]

    def loss(self, x: Tensor) -> Tensor:
        """-(E_q log p(x | Z) - beta KL) averaged over the batch."""
        terms = self.elbo_terms(x)
        return -(terms["log_likelihood"] - self.beta * terms["kl"]).mean()

    def log_weights(self, x: Tensor, k: int) -> Tensor:
        """log p(x, z_k) - log q(z_k | x) for k samples z_k ~ q(. | x): shape (k, batch)."""
        mu, log_sigma = self.encoder(x)
        eps = torch.randn(k, *mu.shape, device=mu.device, dtype=mu.dtype)
        z = mu + torch.exp(log_sigma) * eps
        log_prior = (-0.5 * z**2 - 0.5 * math.log(2 * math.pi)).sum(-1)
        log_q = (-0.5 * eps**2 - log_sigma - 0.5 * math.log(2 * math.pi)).sum(-1)
        return self.decoder.log_likelihood(x, z) + log_prior - log_q

    def iwae(self, x: Tensor, k: int) -> Tensor:
        """The IWAE bound with k samples, per x."""
        return iwae_bound(self.log_weights(x, k))

    @torch.no_grad()
    def sample(self, n: int) -> Tensor:
        """Decoder means at z ~ N(0, I)."""
        device = next(self.parameters()).device
        return self.decoder.mean(torch.randn(n, self.latent_dim, device=device))


def vae_loss(model: VAE, x: Tensor) -> Tensor:
    """The loss for :func:`mfdnn.train.fit`: -ELBO (beta-weighted KL), batch mean."""
    return model.loss(x)
