"""f-divergences and the optimal discriminator on discrete distributions (Chapter 5.4, HW12 P2).

D_f(p || q) = sum_x q(x) f(p(x) / q(x)) for convex f with f(1) = 0, so D_f >= 0 by Jensen.

| name              | f(u)                                        | conjugate f*(t)             |
|-------------------|---------------------------------------------|-----------------------------|
| kl                | u log u                                     | e^{t - 1}                   |
| reverse_kl        | -log u                                      | -1 - log(-t), t < 0         |
| squared_hellinger | (sqrt u - 1)^2                              | t / (1 - t), t < 1          |
| jensen_shannon    | (u log u - (u + 1) log((u + 1) / 2)) / 2    | -log(2 - e^{2t}) / 2        |

(the last for t < log(2) / 2; the course's -log(1 - e^t) - log 4 is the conjugate of the
GAN's scaling of the JS f). The GAN's discriminator problem
max_D E_p log D + lambda E_q log(1 - D) is solved by D* = p / (p + lambda q); its value is

    D_{f_lambda}(p || q) - (1 + lambda) log(1 + lambda) + lambda log lambda,
    f_lambda(u) = u log(u / (u + lambda)) + lambda log(lambda / (lambda + u))
                  + (1 + lambda) log(1 + lambda) - lambda log lambda,

which for lambda = 1 is 2 JS(p, q) - log 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import Tensor


def _xlogy(x: Tensor, y: Tensor) -> Tensor:
    return torch.special.xlogy(x, y)


F_FUNCTIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "kl": lambda u: _xlogy(u, u),
    "reverse_kl": lambda u: -torch.log(u),
    "squared_hellinger": lambda u: (torch.sqrt(u) - 1) ** 2,
    "jensen_shannon": lambda u: 0.5 * (_xlogy(u, u) - (u + 1) * torch.log((u + 1) / 2)),
}

CONJUGATES: dict[str, Callable[[Tensor], Tensor]] = {
    "kl": lambda t: torch.exp(t - 1),
    "reverse_kl": lambda t: -1 - torch.log(-t),
    "squared_hellinger": lambda t: t / (1 - t),
    "jensen_shannon": lambda t: -0.5 * torch.log(2 - torch.exp(2 * t)),
}


def weighted_gan_f(weight: float) -> Callable[[Tensor], Tensor]:
    """f_lambda of HW12 P2 (convex, f_lambda(1) = 0)."""
    lam = weight
    const = (1 + lam) * math.log(1 + lam) - lam * math.log(lam)
    return lambda u: (_xlogy(u, u / (u + lam)) + lam * torch.log(lam / (lam + u)) + const)


def f_divergence(p: Tensor, q: Tensor, f: Callable[[Tensor], Tensor] | str) -> Tensor:
    """sum_x q(x) f(p(x) / q(x)) for discrete p, q > 0 along the last dimension."""
    fn = F_FUNCTIONS[f] if isinstance(f, str) else f
    return (q * fn(p / q)).sum(-1)


def jensen_shannon(p: Tensor, q: Tensor) -> Tensor:
    """JS(p, q) = KL(p || m) / 2 + KL(q || m) / 2, m = (p + q) / 2."""
    m = (p + q) / 2
    return 0.5 * (_xlogy(p, p / m).sum(-1) + _xlogy(q, q / m).sum(-1))


def optimal_discriminator(p: Tensor, q: Tensor, weight: float = 1.0) -> Tensor:
    """D* = p / (p + lambda q)."""
    return p / (p + weight * q)


def discriminator_value(p: Tensor, q: Tensor, d: Tensor, weight: float = 1.0) -> Tensor:
    """E_p log D + lambda E_q log(1 - D) for a discriminator table d in (0, 1)."""
    return (p * torch.log(d)).sum(-1) + weight * (q * torch.log1p(-d)).sum(-1)


def optimal_value(p: Tensor, q: Tensor, weight: float = 1.0) -> Tensor:
    """D_{f_lambda}(p || q) - (1 + lambda) log(1 + lambda) + lambda log lambda."""
    lam = weight
    return (f_divergence(p, q, weighted_gan_f(lam))
            - (1 + lam) * math.log(1 + lam) + lam * math.log(lam))
