"""Image quality: PSNR and SSIM, written out.

PSNR (peak signal-to-noise ratio, in dB) of an estimate X_hat of X with pixel range MAX:

    MSE  = mean_ij (X_hat_ij - X_ij)^2
    PSNR = 10 log10(MAX^2 / MSE) = 20 log10(MAX / sqrt(MSE))

MAX = 1 for images in [0, 1] (255 for uint8). A set of images is scored by the mean of the
per-image PSNRs, as the denoising and super-resolution papers do.

SSIM (Wang, Bovik, Sheikh, Simoncelli 2004) compares local means, variances and the
covariance in a window w (Gaussian 11 x 11 with sigma 1.5, weights summing to 1):

    mu_x = w * x,  sigma_x^2 = w * x^2 - mu_x^2,  sigma_xy = w * (x y) - mu_x mu_y
    SSIM = mean over windows of (2 mu_x mu_y + C1)(2 sigma_xy + C2)
                                / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2))

with C1 = (0.01 MAX)^2, C2 = (0.03 MAX)^2, and only windows that lie inside the image
(the paper's "valid" filtering; scikit-image's ``structural_similarity(...,
gaussian_weights=True, use_sample_covariance=False)`` computes the same number).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def mse(estimate: Tensor, target: Tensor) -> Tensor:
    """Per-image mean squared error of B x C x H x W (or C x H x W) tensors: shape B (or ())."""
    return (estimate - target).pow(2).flatten(-3).mean(-1)


def psnr(estimate: Tensor, target: Tensor, data_range: float = 1.0) -> Tensor:
    """Per-image PSNR in dB: 10 log10(MAX^2 / MSE). Identical images give +inf."""
    return 10 * torch.log10(data_range**2 / mse(estimate.double(), target.double()))


def mean_psnr(estimates: list[Tensor], targets: list[Tensor], data_range: float = 1.0
              ) -> float:
    """The mean over images of the per-image PSNR (images may differ in size)."""
    values = [psnr(e, t, data_range).item() for e, t in zip(estimates, targets, strict=True)]
    return sum(values) / len(values)


def crop_border(x: Tensor, border: int) -> Tensor:
    """Drop ``border`` pixels on each side (super-resolution scores skip the scale's border)."""
    return x[..., border: x.shape[-2] - border, border: x.shape[-1] - border] if border else x


def gaussian_window(size: int = 11, sigma: float = 1.5) -> Tensor:
    """The size x size Gaussian window w_ij proportional to exp(-(i^2 + j^2) / (2 sigma^2)),
    summing to 1 (float64)."""
    r = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    g = torch.exp(-(r**2) / (2 * sigma**2))
    g = g / g.sum()
    return g[:, None] * g[None, :]


def ssim(estimate: Tensor, target: Tensor, data_range: float = 1.0, *, window: str = "gaussian",
         size: int = 11, sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03) -> Tensor:
    """Per-image SSIM of B x C x H x W (or C x H x W) tensors, averaged over valid windows and
    channels. ``window="uniform"`` uses a flat size x size window instead of the Gaussian."""
    squeeze = estimate.dim() == 3
    x = (estimate[None] if squeeze else estimate).double()
    y = (target[None] if squeeze else target).double()
    C = x.shape[1]
    if window == "gaussian":
        w = gaussian_window(size, sigma)
    elif window == "uniform":
        w = torch.full((size, size), 1.0 / size**2, dtype=torch.float64)
    else:
        raise ValueError(f"window must be 'gaussian' or 'uniform', not {window!r}")
    if min(x.shape[-2:]) < size:
        raise ValueError(f"images of size {tuple(x.shape[-2:])} are smaller than the window")
    w = w.to(x.device).expand(C, 1, size, size)

    def local_mean(z: Tensor) -> Tensor:  # w * z over valid windows, channel by channel
        return F.conv2d(z, w, groups=C)

    mu_x, mu_y = local_mean(x), local_mean(y)
    var_x = local_mean(x * x) - mu_x**2  # sigma_x^2
    var_y = local_mean(y * y) - mu_y**2
    cov_xy = local_mean(x * y) - mu_x * mu_y  # sigma_xy
    c1, c2 = (k1 * data_range) ** 2, (k2 * data_range) ** 2
    index = ((2 * mu_x * mu_y + c1) * (2 * cov_xy + c2)
             / ((mu_x**2 + mu_y**2 + c1) * (var_x + var_y + c2)))
    per_image = index.flatten(1).mean(1)
    return per_image[0] if squeeze else per_image
