"""Variational lower bounds on log p(x) (Chapter 5.3, HW11 P1).

For a latent-variable model p(x, z) = p_Z(z) p(x | z) and an encoder q(z | x):

    VLB (ELBO)  = E_{q} log [p(x, Z) / q(Z | x)]
                = log p(x) - KL(q(. | x) || p(. | x))            (so VLB <= log p(x)),
    IWAE bound  = E log [(1/K) sum_k p(x, Z_k) / q(Z_k | x)],    Z_k ~ q i.i.d.,

with log p(x) >= VLB^(K) >= VLB^(M) for K >= M, and VLB^(1) = VLB.
The functions take log-weights log w = log p(x, z) - log q(z | x).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor


def iwae_bound(log_w: Tensor) -> Tensor:
    """log (1/K) sum_k w_k from log-weights of shape (K, ...): one IWAE estimate per x."""
    return torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0])


def exact_discrete(log_joint: Tensor, log_q: Tensor) -> dict[str, Tensor]:
    """For a discrete latent, everything in closed form (last dim = the latent's values).

    ``log_joint`` = log p(x, z) and ``log_q`` = log q(z | x) for every z. Returns
    ``log_px`` (logsumexp of the joint), ``elbo`` = sum_z q (log p(x, z) - log q),
    and ``kl_to_posterior`` = KL(q || p(. | x)).
    """
    log_px = torch.logsumexp(log_joint, dim=-1)
    q = torch.exp(log_q)
    elbo = (q * (log_joint - log_q)).sum(-1)
    log_post = log_joint - log_px.unsqueeze(-1)
    kl = (q * (log_q - log_post)).sum(-1)
    return {"log_px": log_px, "elbo": elbo, "kl_to_posterior": kl}
