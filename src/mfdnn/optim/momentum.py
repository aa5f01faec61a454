"""Momentum SGD in the two forms of the course, and Nesterov's accelerated variant.

Form 1 (the PyTorch form, Chapter 3):
    v^{k+1} = g^k + beta v^k,          theta^{k+1} = theta^k - alpha v^{k+1},   v^0 = 0
Form 2 (heavy ball, HW5 P3):
    theta^{k+1} = theta^k - alpha g^k + beta (theta^k - theta^{k-1}),     theta^{-1} = theta^0
Both produce the same iterates (alpha v^{k+1} = theta^k - theta^{k+1} by induction), which
the tests check, also with stochastic gradients.

Nesterov (the PyTorch form, ``nesterov=True``):
    v^{k+1} = g^k + beta v^k,          theta^{k+1} = theta^k - alpha (g^k + beta v^{k+1})
This is the look-ahead form theta^{k+1} = y^k - alpha grad f(y^k), y^k = theta^k + beta
(theta^k - theta^{k-1}) after the change of variables theta <- y (Sutskever et al. 2013).

Weight decay is added to the gradient (g <- g + lambda theta), as ``torch.optim.SGD`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from torch import Tensor

from mfdnn.optim.base import UpdateRule


class Momentum(UpdateRule):
    """Form 1 (velocity v); ``nesterov=True`` gives Nesterov's update. Same iterates as
    ``torch.optim.SGD(momentum=beta, nesterov=...)`` with ``dampening=0``."""

    def __init__(self, params: Iterable, lr: float, beta: float = 0.9, nesterov: bool = False,
                 weight_decay: float = 0.0) -> None:
        if lr < 0 or not 0 <= beta < 1 or weight_decay < 0:
            raise ValueError("need lr >= 0, 0 <= beta < 1 and weight_decay >= 0")
        super().__init__(params, dict(lr=lr, beta=beta, nesterov=nesterov,
                                      weight_decay=weight_decay))

    def update(self, theta: Tensor, group: dict[str, Any]) -> None:
        alpha, beta = group["lr"], group["beta"]
        g = self.penalized_grad(theta, group["weight_decay"])
        v = self.buffer(theta, "v")
        v.mul_(beta).add_(g)  # v^{k+1} = g^k + beta v^k
        step = g.add(v, alpha=beta) if group["nesterov"] else v
        theta.add_(step, alpha=-alpha)  # theta^{k+1} = theta^k - alpha v^{k+1}


class HeavyBall(UpdateRule):
    """Form 2: theta^{k+1} = theta^k - alpha g^k + beta (theta^k - theta^{k-1}).

    It stores the previous iterate instead of a velocity; theta^{-1} = theta^0."""

    def __init__(self, params: Iterable, lr: float, beta: float = 0.9) -> None:
        if lr < 0 or not 0 <= beta < 1:
            raise ValueError("need lr >= 0 and 0 <= beta < 1")
        super().__init__(params, dict(lr=lr, beta=beta))

    def update(self, theta: Tensor, group: dict[str, Any]) -> None:
        alpha, beta = group["lr"], group["beta"]
        state = self.state[theta]
        if "previous" not in state:
            state["previous"] = theta.clone()  # theta^{-1} = theta^0
        difference = theta - state["previous"]  # theta^k - theta^{k-1}
        state["previous"].copy_(theta)
        theta.add_(theta.grad, alpha=-alpha).add_(difference, alpha=beta)
