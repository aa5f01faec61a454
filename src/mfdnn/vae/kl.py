"""KL divergences between Gaussians in closed form (HW9 P5, Chapter 5.3).

    KL(N(mu0, S0) || N(mu1, S1))
        = 1/2 (tr(S1^{-1} S0) + (mu1 - mu0)^T S1^{-1} (mu1 - mu0) - d + log(det S1 / det S0)),

and for the VAE's diagonal q = N(mu, diag sigma^2) against the prior N(0, I)

    KL = sum_i (-log sigma_i - 1/2 + (sigma_i^2 + mu_i^2) / 2).
"""

from __future__ import annotations

import torch
from torch import Tensor


def gaussian_kl(mu0: Tensor, cov0: Tensor, mu1: Tensor, cov1: Tensor) -> Tensor:
    """KL(N(mu0, cov0) || N(mu1, cov1)) for full covariances; batched over leading dims."""
    d = mu0.shape[-1]
    chol1 = torch.linalg.cholesky(cov1)
    trace = torch.cholesky_solve(cov0, chol1).diagonal(dim1=-2, dim2=-1).sum(-1)
    diff = (mu1 - mu0).unsqueeze(-1)
    mahalanobis = (diff * torch.cholesky_solve(diff, chol1)).sum((-2, -1))
    logdet1 = 2 * torch.log(chol1.diagonal(dim1=-2, dim2=-1)).sum(-1)
    logdet0 = torch.logdet(cov0)
    return 0.5 * (trace + mahalanobis - d + logdet1 - logdet0)


def diagonal_gaussian_kl(mu0: Tensor, log_sigma0: Tensor, mu1: Tensor,
                         log_sigma1: Tensor) -> Tensor:
    """KL between diagonal Gaussians, summed over the last dimension."""
    var0, var1 = torch.exp(2 * log_sigma0), torch.exp(2 * log_sigma1)
    return (log_sigma1 - log_sigma0 + (var0 + (mu0 - mu1) ** 2) / (2 * var1) - 0.5).sum(-1)


def standard_normal_kl(mu: Tensor, log_sigma: Tensor) -> Tensor:
    """KL(N(mu, diag sigma^2) || N(0, I)) = sum(-log sigma - 1/2 + (sigma^2 + mu^2) / 2)."""
    return (-log_sigma - 0.5 + (torch.exp(2 * log_sigma) + mu**2) / 2).sum(-1)
