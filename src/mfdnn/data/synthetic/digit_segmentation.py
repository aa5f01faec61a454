"""A synthetic semantic-segmentation set: MNIST digits placed on a blank canvas.

Each canvas (1 x S x S, float in [0, 1]) receives between 1 and ``max_digits`` digits
(28 x 28) at uniformly random positions inside it; where digits overlap the brighter pixel
wins. The per-pixel class mask (S x S, int64) is

    mask = 0 (background)           where the canvas is darker than ``threshold``,
    mask = 1 + d                    where digit d supplies the (brightest) pixel,

so k = 11 classes, and a digit's mask is exactly its stroke pixels above the threshold.

Draws, all from one ``torch.Generator`` (CPU) in this order: the number of digits per
canvas, then per slot the source digit, the row and the column of its corner.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

NUM_CLASSES = 11  # background + ten digits


@dataclass(frozen=True)
class DigitSegmentation:
    images: Tensor  # N x 1 x S x S float32 in [0, 1]
    masks: Tensor  # N x S x S int64 in 0..10
    placements: Tensor  # N x max_digits x 4: (source index, top, left, digit); -1 unused slot

    def __len__(self) -> int:
        return len(self.images)


def make_digit_segmentation(digits: Tensor, labels: Tensor, count: int, *, canvas: int = 64,
                            max_digits: int = 3, threshold: float = 0.5,
                            generator: torch.Generator | None = None) -> DigitSegmentation:
    """``count`` canvases built from ``digits`` (M x 28 x 28 or M x 1 x 28 x 28, uint8 or
    float in [0, 1]) with class ``labels`` (M)."""
    digits = digits.reshape(len(digits), *digits.shape[-2:])
    digits = digits.float() / 255 if digits.dtype == torch.uint8 else digits.float()
    h, w = digits.shape[-2:]
    if canvas < max(h, w):
        raise ValueError(f"canvas {canvas} is smaller than a digit ({h} x {w})")
    n_digits = torch.randint(1, max_digits + 1, (count,), generator=generator)
    source = torch.empty(count, max_digits, dtype=torch.long)
    corner = torch.empty(count, max_digits, 2, dtype=torch.long)
    for slot in range(max_digits):
        source[:, slot] = torch.randint(len(digits), (count,), generator=generator)
        corner[:, slot, 0] = torch.randint(canvas - h + 1, (count,), generator=generator)
        corner[:, slot, 1] = torch.randint(canvas - w + 1, (count,), generator=generator)

    images = torch.zeros(count, canvas, canvas)
    owner = torch.zeros(count, canvas, canvas, dtype=torch.long)  # 1 + digit of the pixel
    n = torch.arange(count)[:, None, None]
    for slot in range(max_digits):
        active = (slot < n_digits).float()[:, None, None]
        layer = torch.zeros(count, canvas, canvas)
        rows = corner[:, slot, 0, None, None] + torch.arange(h)[None, :, None]
        cols = corner[:, slot, 1, None, None] + torch.arange(w)[None, None, :]
        layer[n, rows, cols] = digits[source[:, slot]] * active
        brighter = layer > images  # the brighter pixel wins; ties keep the earlier digit
        images = torch.where(brighter, layer, images)
        owner = torch.where(brighter, 1 + labels[source[:, slot]][:, None, None], owner)
    masks = torch.where(images >= threshold, owner, torch.zeros_like(owner))

    used = torch.arange(max_digits)[None, :] < n_digits[:, None]
    placements = torch.stack([source, corner[..., 0], corner[..., 1], labels[source]], dim=-1)
    placements = torch.where(used[..., None], placements, torch.full_like(placements, -1))
    return DigitSegmentation(images[:, None], masks, placements)
