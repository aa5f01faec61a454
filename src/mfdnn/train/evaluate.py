"""Batched evaluation under ``no_grad``: no per-sample Python, data already on the device."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn


@torch.no_grad()
def predict(fn: Callable[[Tensor], Tensor], X: Tensor, batch_size: int = 1000,
            amp: bool = False) -> Tensor:
    """``fn(X)`` computed in chunks of ``batch_size``; float32 outputs.

    ``fn`` is a model, run in eval mode (its mode is restored after), or any function of a
    batch, e.g. ``flow.log_prob``, called as it is.
    """
    model = fn if isinstance(fn, nn.Module) else None
    was_training = model is not None and model.training
    if model is not None:
        model.eval()
    with torch.autocast(X.device.type, dtype=torch.bfloat16, enabled=amp):
        out = torch.cat([fn(xb).float() for xb in X.split(batch_size)])
    if model is not None:
        model.train(was_training)
    return out


def evaluate_classifier(model: nn.Module, X: Tensor, Y: Tensor, batch_size: int = 1000,
                        amp: bool = False) -> dict[str, float]:
    """Mean cross-entropy and accuracy of a classifier returning logits."""
    logits = predict(model, X, batch_size, amp)
    return {
        "loss": F.cross_entropy(logits, Y).item(),
        "accuracy": (logits.argmax(1) == Y).float().mean().item(),
    }


def cross_entropy_loss(model: nn.Module, X: Tensor, Y: Tensor) -> Tensor:
    """The loss function of every classifier here: mean cross-entropy of ``model(X)``."""
    return F.cross_entropy(model(X), Y)


LossFn = Callable[..., Tensor]
