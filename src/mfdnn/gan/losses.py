"""GAN losses (Chapter 5.4), written on the discriminator's logits l, D = sigmoid(l).

* Discriminator (maximises E_p log D(X) + lambda E log(1 - D(G(Z)))), as a loss to minimise:
  -(mean log D(x) + lambda mean log(1 - D(G(z)))), with log D = logsigmoid(l) and
  log(1 - D) = logsigmoid(-l), which is the same function as a sigmoid output layer
  followed by logs, without its overflow.
* Generator, *saturating* (the minimax objective, HW12 P4's default): mean log(1 - D(G(z))).
  Its gradient vanishes where D confidently rejects the fakes.
* Generator, *non-saturating* (Goodfellow et al. 2014's practical choice): -mean log D(G(z)).
* WGAN (critic C, no sigmoid): the critic minimises mean C(G(z)) - mean C(x)
  (+ a gradient penalty), the generator minimises -mean C(G(z)).
* Gradient penalty (Gulrajani et al. 2017): E (|grad C(x^)| - 1)^2 at
  x^ = eps x + (1 - eps) G(z), eps ~ U(0, 1) per sample.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor


def discriminator_loss(real_logits: Tensor, fake_logits: Tensor, weight: float = 1.0) -> Tensor:
    """-(mean log D(x) + weight * mean log(1 - D(G(z))))."""
    return -(F.logsigmoid(real_logits).mean() + weight * F.logsigmoid(-fake_logits).mean())


def generator_loss(fake_logits: Tensor, saturating: bool = True) -> Tensor:
    """mean log(1 - D(G(z))) (saturating) or -mean log D(G(z)) (non-saturating)."""
    if saturating:
        return F.logsigmoid(-fake_logits).mean()
    return -F.logsigmoid(fake_logits).mean()


def critic_loss(real_scores: Tensor, fake_scores: Tensor) -> Tensor:
    """WGAN critic: mean C(G(z)) - mean C(x) (the negated Kantorovich-Rubinstein objective)."""
    return fake_scores.mean() - real_scores.mean()


def wasserstein_generator_loss(fake_scores: Tensor) -> Tensor:
    return -fake_scores.mean()


def gradient_penalty(critic: Callable[[Tensor], Tensor], real: Tensor, fake: Tensor) -> Tensor:
    """mean (|grad_x C(x^)|_2 - 1)^2 at random interpolates x^ of real and fake samples."""
    eps = torch.rand(len(real), *([1] * (real.dim() - 1)), device=real.device, dtype=real.dtype)
    mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()
