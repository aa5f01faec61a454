"""What ``ch2-logistic-mnist`` and ``hw4-mse-loss`` (HW4 P5) share: two MNIST digits
labelled -1 / +1, the margin accuracy, and one seeded run of the minibatch demo.

The model outputs a score z = a^T x (+ b); a test image counts as correct iff z y >= 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from mfdnn import data
from mfdnn.experiments.core.context import RunContext
from mfdnn.models.shallow import LinearScore, logistic_loss_torch
from mfdnn.optim import SGD
from mfdnn.train import predict

Loss = Callable[[Tensor, Tensor], Tensor]


@dataclass
class TwoDigits:
    """Images (N x 1 x 28 x 28, uint8 on the CPU) and labels in {-1, +1} (float32)."""

    images: Tensor
    labels: Tensor

    def tensors(self, device: torch.device, raw: bool = False) -> tuple[Tensor, Tensor]:
        """(x, y) on ``device``: pixels 0..255 if ``raw``, else /255 (the course's ToTensor)."""
        x = self.images.to(device).float()
        return (x if raw else x.div_(255)), self.labels.to(device)


def two_digits(split: str, negative: int, positive: int, size: int | None = None) -> TwoDigits:
    """The ``negative`` (-> -1) and ``positive`` (-> +1) digits of MNIST ``split``, IDX order."""
    images = data.load("mnist", split)
    keep = (images.labels == negative) | (images.labels == positive)
    labels = torch.where(images.labels[keep] == positive, 1.0, -1.0)
    return TwoDigits(images.images[keep][:size], labels[:size])


def margin_accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    """Fraction of test images with z y >= 0 (the course evaluates with batch 1)."""
    return (predict(model, x) * y >= 0).float().mean().item()


def train_binary(lr: float, batch_size: int, epochs: int, ctx: RunContext,
                 train: tuple[Tensor, Tensor], test: tuple[Tensor, Tensor],
                 loss: Loss = logistic_loss_torch, bias: bool = False, desc: str = "train",
                 ) -> tuple[LinearScore, list[float]]:
    """One run of the demo: re-seed, build Linear(784, 1), SGD by shuffled minibatches.
    Returns the model and the test accuracy after each epoch."""
    ctx.reseed()
    model = LinearScore(train[0][0].numel(), bias=bias).to(ctx.device)
    result = ctx.fit(model, lambda m, x, y: loss(m(x), y), SGD(model.parameters(), lr=lr),
                     train, epochs=epochs, batch_size=batch_size, shuffle=True,
                     evaluate=lambda m, _epoch: {"test_accuracy": margin_accuracy(m, *test)},
                     desc=desc)
    return model, result.curve("test_accuracy")
