"""What every written-out optimiser shares: the ``torch.optim.Optimizer`` step skeleton.

``step(closure)`` re-evaluates the loss if asked, then, under ``no_grad``, applies the
subclass's :meth:`UpdateRule.update` to every parameter that has a gradient. A subclass
writes only the course's formula for one tensor (its per-tensor state is
``self.state[theta]``, empty before the first step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor


class UpdateRule(torch.optim.Optimizer):
    """A ``torch.optim.Optimizer`` defined by its update of one parameter tensor."""

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for theta in group["params"]:
                if theta.grad is not None:
                    self.update(theta, group)
        return loss

    def update(self, theta: Tensor, group: dict[str, Any]) -> None:
        """Move ``theta`` (in place) by the rule, using ``theta.grad`` and ``group``."""
        raise NotImplementedError

    @staticmethod
    def penalized_grad(theta: Tensor, weight_decay: float) -> Tensor:
        """g + lambda theta: the gradient with the l2 penalty (lambda / 2) ||theta||^2 added."""
        if weight_decay == 0:
            return theta.grad
        return theta.grad.add(theta, alpha=weight_decay)

    def buffer(self, theta: Tensor, name: str) -> Tensor:
        """The per-tensor state ``name`` of ``theta``, zeros before the first step."""
        state = self.state[theta]
        if name not in state:
            state[name] = torch.zeros_like(theta)
        return state[name]
