"""Batched evaluation under ``no_grad``: no per-sample Python, data already on the device."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn


@torch.no_grad()
def predict(model: nn.Module, X: Tensor, batch_size: int = 1000,
            amp: bool = False) -> Tensor:
    """``model(X)`` computed in chunks of ``batch_size``, in eval mode; float32 outputs."""
    was_training = model.training
    model.eval()
    with torch.autocast(X.device.type, dtype=torch.bfloat16, enabled=amp):
        out = torch.cat([model(xb).float() for xb in X.split(batch_size)])
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
