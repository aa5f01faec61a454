"""Adam (Kingma & Ba 2015) with bias correction, written out, with the square root's
epsilon where the course puts it or where PyTorch puts it (SYLLABUS T4 #1).

At step k = 1, 2, ... (beta1 = 0.9, beta2 = 0.999, eps = 1e-8, m1^0 = m2^0 = 0):
    m1 <- beta1 m1 + (1 - beta1) g
    m2 <- beta2 m2 + (1 - beta2) g * g
    m1_hat = m1 / (1 - beta1^k),   m2_hat = m2 / (1 - beta2^k)          (bias correction)
    theta <- theta - alpha m1_hat / sqrt(m2_hat + eps)   eps_inside=True   (the slides)
    theta <- theta - alpha m1_hat / (sqrt(m2_hat) + eps) eps_inside=False  (torch.optim.Adam)

The bias correction makes m1_hat = g and m2_hat = g * g exactly when the gradient is
constant, so every step then moves each coordinate by alpha g / sqrt(g^2 + eps), about
alpha sign(g). The default is the course's form (``eps_inside=True``); ``eps_inside=False``
gives PyTorch's iterates, which the tests check step by step.

Weight decay: ``weight_decay`` adds lambda theta to the gradient (an l2 penalty, as
``torch.optim.Adam``); with ``decoupled=True`` theta is instead shrunk by (1 - alpha lambda)
before the step (``torch.optim.AdamW``). For Adam the two differ, unlike for plain SGD.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from torch import Tensor

from mfdnn.optim.base import UpdateRule
from mfdnn.optim.rmsprop import sqrt_denominator


class Adam(UpdateRule):
    """Adam with bias correction; see the module docstring for the formulas."""

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 eps_inside: bool = True, weight_decay: float = 0.0,
                 decoupled: bool = False) -> None:
        if lr < 0 or not all(0 <= b < 1 for b in betas) or eps < 0 or weight_decay < 0:
            raise ValueError("need lr >= 0, 0 <= betas < 1, eps >= 0, weight_decay >= 0")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, eps_inside=eps_inside,
                                      weight_decay=weight_decay, decoupled=decoupled))

    def update(self, theta: Tensor, group: dict[str, Any]) -> None:
        alpha, (beta1, beta2), lam = group["lr"], group["betas"], group["weight_decay"]
        if lam != 0 and group["decoupled"]:
            theta.mul_(1 - alpha * lam)  # AdamW: shrink theta, not the gradient
        g = self.penalized_grad(theta, 0.0 if group["decoupled"] else lam)
        state = self.state[theta]
        k = state["k"] = state.get("k", 0) + 1  # steps taken, for the bias correction
        m1, m2 = self.buffer(theta, "m1"), self.buffer(theta, "m2")
        m1.mul_(beta1).add_(g, alpha=1 - beta1)  # beta1 m1 + (1 - beta1) g
        m2.mul_(beta2).addcmul_(g, g, value=1 - beta2)  # beta2 m2 + (1 - beta2) g*g
        m1_hat = m1 / (1 - beta1**k)
        m2_hat = m2 / (1 - beta2**k)
        denominator = sqrt_denominator(m2_hat, group["eps"], group["eps_inside"])
        theta.addcdiv_(m1_hat, denominator, value=-alpha)
