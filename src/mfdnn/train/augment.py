"""Data augmentation as tensor operations on a whole batch, on the batch's device.

Pass one to the training loop: ``fit(..., transform=Augment(crop_padding=4, flip=True))``;
it maps the image tensor of every training batch (N x C x H x W) and never the test data.

* random crop with zero padding p: pad by p on every side, then cut an H x W window at a
  uniformly random offset in {0, ..., 2p}^2, independently per image (torchvision's
  ``RandomCrop(H, padding=p)``, the chapter's ``Pad(4)`` + ``RandomCrop(32)``);
* horizontal flip with probability 1/2 per image (``RandomHorizontalFlip``).

The draws come from ``generator`` (or the global generator of the batch's device): one
``randint`` for the row offsets, one for the column offsets, one ``rand`` for the flips.
No per-image Python work.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def random_crop(x: Tensor, padding: int, generator: torch.Generator | None = None) -> Tensor:
    """Zero-pad ``x`` (N x C x H x W) by ``padding`` and crop H x W at random offsets."""
    if padding == 0:
        return x
    n, _, h, w = x.shape
    padded = F.pad(x, (padding, padding, padding, padding))
    top = torch.randint(0, 2 * padding + 1, (n,), device=x.device, generator=generator)
    left = torch.randint(0, 2 * padding + 1, (n,), device=x.device, generator=generator)
    rows = (top[:, None] + torch.arange(h, device=x.device))[:, :, None]  # N x H x 1
    cols = (left[:, None] + torch.arange(w, device=x.device))[:, None, :]  # N x 1 x W
    batch = torch.arange(n, device=x.device)[:, None, None]
    return padded.permute(0, 2, 3, 1)[batch, rows, cols].permute(0, 3, 1, 2)  # N x C x H x W


def random_hflip(x: Tensor, p: float = 0.5, generator: torch.Generator | None = None) -> Tensor:
    """Mirror each image left-right with probability ``p``."""
    flip = torch.rand(len(x), device=x.device, generator=generator) < p
    return torch.where(flip[:, None, None, None], x.flip(3), x)


def resize_bilinear(x: Tensor, size: tuple[int, int]) -> Tensor:
    """Bilinear resize of N x C x H x W images to ``size`` (no torchvision needed)."""
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


class Augment:
    """Random crop with padding, then random horizontal flip, batch-wise."""

    def __init__(self, crop_padding: int = 4, flip: bool = True,
                 generator: torch.Generator | None = None) -> None:
        self.crop_padding, self.flip, self.generator = crop_padding, flip, generator

    def __call__(self, x: Tensor) -> Tensor:
        x = random_crop(x, self.crop_padding, self.generator)
        return random_hflip(x, 0.5, self.generator) if self.flip else x

    def __repr__(self) -> str:
        return f"Augment(crop_padding={self.crop_padding}, flip={self.flip})"
