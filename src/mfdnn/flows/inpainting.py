"""Inpainting with a flow by constrained maximum likelihood (HW10 P3).

    minimise -log p(X)  subject to  M * X = M * X_true,  0 <= X <= 1,

by projected gradient descent: a gradient step on -log p with respect to the image, then the
projection onto the constraint set, which resets the known pixels (M = 1) and clamps the
unknown ones to [0, 1] (the set is a box, so the projection is coordinatewise; HW10 P2).
Images in a batch are independent, so summing their losses inpaints each one as if alone.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor


def project(x: Tensor, known: Tensor, x_true: Tensor) -> Tensor:
    """Known pixels back to their values, unknown ones clamped to [0, 1]."""
    return torch.where(known, x_true, x.clamp(0, 1))


def inpaint(log_prob: Callable[[Tensor], Tensor], x_true: Tensor, known: Tensor,
            fill: float = 1.0, lr: float = 1e-3, iterations: int = 300
            ) -> tuple[Tensor, list[float]]:
    """Projected SGD from the corrupted images (unknown pixels set to ``fill``).

    ``known`` is a boolean mask shaped like ``x_true``. Returns the inpainted images and the
    mean -log p after each iteration (the first entry is the corrupted images').
    """
    x = torch.where(known, x_true, torch.full_like(x_true, fill)).requires_grad_(True)
    optimizer = torch.optim.SGD([x], lr=lr)
    history = []
    for _ in range(iterations):
        loss = -log_prob(x).sum()
        history.append(loss.item() / len(x))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            x.copy_(project(x, known, x_true))
    with torch.no_grad():
        history.append(-log_prob(x).mean().item())
    return x.detach(), history
