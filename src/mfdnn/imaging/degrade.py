"""Forward operators A of the inverse problems A[X] + eps = Y of Chapter 4.

* Gaussian denoising: Y = X + eps, eps ~ N(0, sigma^2 I) with sigma known (sigma = 25/255 for
  pixels in [0, 1]).
* Super-resolution: Y = r x r average pooling of X with stride r (the course's operator), or
  bicubic downscaling (``F.interpolate`` with antialiasing, close to MATLAB's imresize) as
  SRCNN's and VDSR's papers do. The networks see Y~ = bicubic upsampling of Y back to X's size.

Bicubic here is ``torch.nn.functional.interpolate(mode="bicubic")``: the Keys cubic with
a = -0.75 (OpenCV's and PyTorch's choice; MATLAB uses a = -0.5), clamped to [0, 1].
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def add_gaussian_noise(x: Tensor, sigma: float, generator: torch.Generator | None = None
                       ) -> Tensor:
    """Y = X + sigma * Z with Z standard normal (no clipping: the noise model stays Gaussian)."""
    z = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
    return x + sigma * z


def crop_to_multiple(x: Tensor, scale: int) -> Tensor:
    """Crop the bottom and right edges so that both sides are divisible by ``scale``."""
    H, W = x.shape[-2:]
    return x[..., : H - H % scale, : W - W % scale]


def downsample(x: Tensor, scale: int, method: str = "avgpool") -> Tensor:
    """The low-resolution image of B x C x H x W ``x`` (H, W divisible by ``scale``)."""
    if x.shape[-2] % scale or x.shape[-1] % scale:
        raise ValueError(f"image size {tuple(x.shape[-2:])} is not divisible by {scale}")
    if method == "avgpool":  # (A X)_ij = mean of the r x r block ij
        return F.avg_pool2d(x, scale)
    if method == "bicubic":
        size = (x.shape[-2] // scale, x.shape[-1] // scale)
        return F.interpolate(x, size=size, mode="bicubic", align_corners=False,
                             antialias=True).clamp(0, 1)
    raise ValueError(f"unknown downsampling '{method}'; choose avgpool or bicubic")


def bicubic_upsample(y: Tensor, scale: int) -> Tensor:
    """Y~: bicubic interpolation of B x C x h x w ``y`` to (h r) x (w r), clamped to [0, 1]."""
    return F.interpolate(y, scale_factor=scale, mode="bicubic",
                         align_corners=False).clamp(0, 1)


def degrade_for_sr(x: Tensor, scale: int, method: str = "avgpool") -> Tensor:
    """Y~ = bicubic_upsample(downsample(X)): the input an SR network refines into X."""
    return bicubic_upsample(downsample(x, scale, method), scale)


def center_crop(x: Tensor, size: int | None) -> Tensor:
    """The central ``size`` x ``size`` window (the whole image if ``size`` is None or larger)."""
    if size is None:
        return x
    H, W = x.shape[-2:]
    top, left = max((H - size) // 2, 0), max((W - size) // 2, 0)
    return x[..., top: top + size, left: left + size]
