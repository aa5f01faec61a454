"""Apply an image-to-image network to images of different sizes, one at a time."""

from __future__ import annotations

import torch
from torch import Tensor, nn


@torch.no_grad()
def restore(model: nn.Module, images: list[Tensor], device: torch.device | str,
            clamp: bool = True) -> list[Tensor]:
    """``model(image)`` for each C x H x W image, in eval mode, returned on the CPU in float32
    (clamped to the pixel range [0, 1] unless ``clamp=False``)."""
    was_training = model.training
    model.eval()
    out = []
    for image in images:
        x = image[None].to(device).contiguous(memory_format=torch.channels_last)
        y = model(x)[0].float().cpu()
        out.append(y.clamp(0, 1) if clamp else y)
    model.train(was_training)
    return out
