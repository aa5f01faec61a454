"""Variational autoencoders (Chapter 5.3): Gaussian KL, ELBO, IWAE bound, beta-VAE."""

from mfdnn.vae.bounds import exact_discrete, iwae_bound
from mfdnn.vae.kl import diagonal_gaussian_kl, gaussian_kl, standard_normal_kl
from mfdnn.vae.model import (
    VAE,
    BernoulliDecoder,
    GaussianDecoder,
    GaussianEncoder,
    reparameterize,
    vae_loss,
)

__all__ = [
    "VAE", "BernoulliDecoder", "GaussianDecoder", "GaussianEncoder", "diagonal_gaussian_kl",
    "exact_discrete", "gaussian_kl", "iwae_bound", "reparameterize", "standard_normal_kl",
    "vae_loss",
]
