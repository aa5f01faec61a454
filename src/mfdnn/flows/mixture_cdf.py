"""The 1-D flow of HW9 P2: a positive combination of Gaussian CDFs.

    z = f_theta(x) = sum_{i=1}^{K} e^{w_i} (Phi(x; mu_i, e^{tau_i}) - 1/2),
    dz/dx = sum_i e^{w_i} phi(x; mu_i, e^{tau_i}) > 0,

so f is increasing, and with the base N(0, 1)

    log p(x) = log N(f_theta(x); 0, 1) + log f_theta'(x).

The weights are not normalised: an unbounded base needs no sum to one. f maps R onto the
bounded interval (-S/2, S/2), S = sum_i e^{w_i}, so the inverse is found by bisection
(the course: 30 steps on [-3, 3]). The flow acts on every entry of a tensor independently;
its log-det sums over all entries but the batch dimension.

Initialisation (official solution): mu = randn(K) from torch's generator, tau = 0, w = 1.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from mfdnn.flows.base import Flow, StandardNormal, sum_except_batch


class MixtureCDFFlow1d(Flow):
    """z = sum_i e^{w_i} (Phi((x - mu_i) / e^{tau_i}) - 1/2), elementwise."""

    def __init__(self, n_components: int = 5, bisection_steps: int = 30,
                 low: float = -3.0, high: float = 3.0):
        super().__init__()
        self.mu = nn.Parameter(torch.randn(n_components))
        self.log_sigma = nn.Parameter(torch.zeros(n_components))  # tau
        self.log_weight = nn.Parameter(torch.ones(n_components))  # w
        self.prior = StandardNormal(1)
        self.bisection_steps = bisection_steps
        self.low, self.high = low, high

    def _standardised(self, x: Tensor) -> Tensor:
        return (x.unsqueeze(-1) - self.mu) / torch.exp(self.log_sigma)  # (..., K)

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        u = self._standardised(x)
        weight = torch.exp(self.log_weight)
        z = (weight * (0.5 * torch.erfc(-u / math.sqrt(2)) - 0.5)).sum(-1)  # sum w (Phi - 1/2)
        log_phi = -0.5 * u**2 - 0.5 * math.log(2 * math.pi) - self.log_sigma  # log N(x; mu, s)
        log_dz_dx = torch.logsumexp(self.log_weight + log_phi, dim=-1)  # log sum e^w phi
        return z, sum_except_batch(log_dz_dx)

    def inverse(self, z: Tensor) -> Tensor:
        """x = f^{-1}(z) by bisection on [low, high]; z outside f([low, high]) clamps."""
        lo = torch.full_like(z, self.low)
        hi = torch.full_like(z, self.high)
        with torch.no_grad():
            for _ in range(self.bisection_steps):
                mid = (lo + hi) / 2
                below = self.forward(mid) < z
                lo = torch.where(below, mid, lo)
                hi = torch.where(below, hi, mid)
        return (lo + hi) / 2

    def log_prob(self, x: Tensor) -> Tensor:
        """log N(f(x); 0, 1) + log f'(x), summed over the entries of each sample."""
        z, log_det = self.forward_and_log_det(x)
        return sum_except_batch(-0.5 * z**2 - 0.5 * math.log(2 * math.pi)) + log_det

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """n draws x = f^{-1}(z), z ~ N(0, 1), as a vector of length n."""
        z = torch.randn(n, generator=generator, device=self.mu.device, dtype=self.mu.dtype)
        return self.inverse(z)

    def density(self, x: Tensor) -> Tensor:
        """p_X at each entry of x (a 1-D grid, say)."""
        return torch.exp(self.log_prob(x.reshape(-1, 1)))
