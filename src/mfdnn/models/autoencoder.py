"""The MLP autoencoder of HW9 P1 and the Chapter 5.1 demo, and its anomaly score.

    encoder E: 784 -> 256 -> 128 -> 32, ReLU after every layer (the code included)
    decoder D: 32 -> 128 -> 256 -> 784, ReLU, ReLU, sigmoid, reshaped to 1 x 28 x 28

Trained on ||X - D(E(X))||^2 (``MSELoss``, the mean over pixels and batch). The anomaly
score of an image is its summed squared reconstruction error s(X) = ||X - D(E(X))||^2.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class MLPAutoencoder(nn.Module):
    def __init__(self, in_dim: int = 784, hidden: tuple[int, ...] = (256, 128),
                 code_dim: int = 32, image_shape: tuple[int, ...] = (1, 28, 28)):
        super().__init__()
        sizes = (in_dim, *hidden, code_dim)
        enc: list[nn.Module] = []
        for a, b in zip(sizes[:-1], sizes[1:], strict=True):
            enc += [nn.Linear(a, b), nn.ReLU()]
        dec: list[nn.Module] = []
        back = sizes[::-1]
        for i, (a, b) in enumerate(zip(back[:-1], back[1:], strict=True)):
            dec += [nn.Linear(a, b), nn.Sigmoid() if i == len(back) - 2 else nn.ReLU()]
        self.encoder = nn.Sequential(*enc)
        self.decoder = nn.Sequential(*dec)
        self.image_shape = image_shape

    def forward(self, x: Tensor) -> Tensor:
        """D(E(x)), shaped like x."""
        code = self.encoder(x.flatten(1))
        return self.decoder(code).reshape(x.shape)


def reconstruction_loss(model: nn.Module, x: Tensor) -> Tensor:
    """The training loss: mean squared error over pixels and batch."""
    return F.mse_loss(model(x), x)


@torch.no_grad()
def reconstruction_scores(model: nn.Module, x: Tensor, batch_size: int = 1000) -> Tensor:
    """s(X) = ||X - D(E(X))||^2 summed over pixels, per image (eval mode, in chunks)."""
    was_training = model.training
    model.eval()
    scores = torch.cat([(model(xb) - xb).pow(2).flatten(1).sum(1)
                        for xb in x.split(batch_size)])
    model.train(was_training)
    return scores
