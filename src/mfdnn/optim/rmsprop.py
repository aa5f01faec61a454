"""RMSProp, written out, with the square root's epsilon where the course puts it or where
PyTorch puts it (SYLLABUS T4 #1).

    m2 <- beta2 m2 + (1 - beta2) g * g                 (beta2 = 0.99, eps = 1e-8, m2^0 = 0)
    theta <- theta - alpha g / sqrt(m2 + eps)          eps_inside=True   (the slides)
    theta <- theta - alpha g / (sqrt(m2) + eps)        eps_inside=False  (torch.optim.RMSprop)

Epsilon inside the root is a larger safeguard: with eps = 1e-8 it bounds the denominator
below by 1e-4 instead of 1e-8. The default is the course's form (``eps_inside=True``); use
``eps_inside=False`` for PyTorch's iterates, which the tests check step by step.
Weight decay adds lambda theta to the gradient, as ``torch.optim.RMSprop`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from torch import Tensor

from mfdnn.optim.base import UpdateRule


def sqrt_denominator(m2: Tensor, eps: float, eps_inside: bool) -> Tensor:
    """sqrt(m2 + eps) (the slides) or sqrt(m2) + eps (PyTorch)."""
    return (m2 + eps).sqrt() if eps_inside else m2.sqrt().add_(eps)


class RMSProp(UpdateRule):
    """theta <- theta - alpha g / sqrt(m2 + eps), m2 the running mean of g * g."""

    def __init__(self, params: Iterable, lr: float = 1e-2, beta2: float = 0.99,
                 eps: float = 1e-8, eps_inside: bool = True, weight_decay: float = 0.0) -> None:
        if lr < 0 or not 0 <= beta2 < 1 or eps < 0 or weight_decay < 0:
            raise ValueError("need lr >= 0, 0 <= beta2 < 1, eps >= 0, weight_decay >= 0")
        super().__init__(params, dict(lr=lr, beta2=beta2, eps=eps, eps_inside=eps_inside,
                                      weight_decay=weight_decay))

    def update(self, theta: Tensor, group: dict[str, Any]) -> None:
        alpha, beta2 = group["lr"], group["beta2"]
        g = self.penalized_grad(theta, group["weight_decay"])
        m2 = self.buffer(theta, "m2")
        m2.mul_(beta2).addcmul_(g, g, value=1 - beta2)  # beta2 m2 + (1 - beta2) g*g
        denominator = sqrt_denominator(m2, group["eps"], group["eps_inside"])
        theta.addcdiv_(g, denominator, value=-alpha)
