"""Gradient descent and SGD with weight decay, written out.

    theta^{k+1} = theta^k - alpha g^k                          (GD / SGD / minibatch SGD)
    theta^{k+1} = (1 - alpha lambda) theta^k - alpha g^k       (with weight decay lambda)

GD, SGD and minibatch SGD share this update; they differ only in which gradient g^k is fed
in (the full gradient, one sample's, or a minibatch's: see :mod:`mfdnn.optim.finite_sum`).
For plain SGD, weight decay is the same as adding (lambda/2)||theta||^2 to the loss, which is
what ``torch.optim.SGD(weight_decay=lambda)`` does; the tests check that the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from torch import Tensor

from mfdnn.optim.base import UpdateRule


class SGD(UpdateRule):
    """theta <- (1 - lr * weight_decay) theta - lr * grad; same iterates as ``torch.optim.SGD``
    without momentum."""

    def __init__(self, params: Iterable, lr: float, weight_decay: float = 0.0) -> None:
        if lr < 0 or weight_decay < 0:
            raise ValueError("lr and weight_decay must be non-negative")
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay))

    def update(self, theta: Tensor, group: dict[str, Any]) -> None:
        alpha, lam = group["lr"], group["weight_decay"]
        if lam != 0:
            theta.mul_(1 - alpha * lam)  # (1 - alpha lambda) theta
        theta.add_(theta.grad, alpha=-alpha)  # - alpha g
