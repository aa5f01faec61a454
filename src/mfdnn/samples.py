"""Comparing generated samples with data: kernel MMD, a KDE on a grid, mode coverage.

* **Kernel MMD** (Gretton et al. 2012), unbiased, with a sum of Gaussian kernels
  k(x, y) = sum_h exp(-|x - y|^2 / (2 h^2)):

      MMD^2 = mean_{i != j} k(x_i, x_j) + mean_{i != j} k(y_i, y_j) - 2 mean_{i, j} k(x_i, y_j).

  It is 0 in expectation when both samples come from one distribution.
* **KDE** on a regular 2-D grid with a Gaussian kernel (for density figures; the course
  used seaborn's, any KDE does).
* **Mode coverage** for mixtures of well-separated Gaussians: a sample within
  ``3 std`` of a centre is *high quality* and belongs to that mode; a mode is *covered*
  when it holds at least a fifth of its fair share of the samples (20 of 2500 for 25 modes,
  the PacGAN convention).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import Tensor


def _as_tensor(a: np.ndarray | Tensor) -> Tensor:
    return torch.as_tensor(np.asarray(a) if not isinstance(a, Tensor) else a,
                           dtype=torch.float64)


def _kernel_sum(x: Tensor, y: Tensor, bandwidths: Sequence[float], exclude_diagonal: bool
                ) -> float:
    """sum_{i, j} k(x_i, y_j), optionally without the i = j terms (float32 kernel values)."""
    d2 = torch.cdist(x.float(), y.float()).square_()
    total = 0.0
    for h in bandwidths:
        # exponents below -80 would give denormal floats (very slow); e^-80 counts as 0
        k = torch.exp((d2 * (-0.5 / (h * h))).clamp_(min=-80.0))
        total += float(k.sum())
        if exclude_diagonal:
            total -= float(k.diagonal().sum())
    return total


def mmd2(x: np.ndarray | Tensor, y: np.ndarray | Tensor,
         bandwidths: Sequence[float] = (0.05, 0.1, 0.2, 0.5)) -> float:
    """Unbiased MMD^2 between samples x (n x d) and y (m x d)."""
    x, y = _as_tensor(x), _as_tensor(y)
    n, m = len(x), len(y)
    term_xx = _kernel_sum(x, x, bandwidths, True) / (n * (n - 1))
    term_yy = _kernel_sum(y, y, bandwidths, True) / (m * (m - 1))
    term_xy = _kernel_sum(x, y, bandwidths, False) / (n * m)
    return term_xx + term_yy - 2 * term_xy


def kde_grid(points: np.ndarray | Tensor, limits: tuple[float, float] = (-1.5, 1.5),
             size: int = 150, bandwidth: float | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A Gaussian KDE of 2-D points on a size x size grid over limits^2: (X, Y, density).

    The kernel factorises, phi(gx - x_i) phi(gy - y_i), so the density on the grid is one
    matrix product of the two (size x n) kernel matrices. The default bandwidth is Scott's
    rule, n^(-1/6) times the mean coordinate std.
    """
    p = _as_tensor(points)
    if bandwidth is None:
        bandwidth = float(p.std(0).mean()) * len(p) ** (-1 / 6)
    axis = torch.linspace(limits[0], limits[1], size, dtype=torch.float64)
    norm = 1 / (np.sqrt(2 * np.pi) * bandwidth)
    phi_x = norm * torch.exp(-0.5 * ((axis[:, None] - p[None, :, 0]) / bandwidth) ** 2)
    phi_y = norm * torch.exp(-0.5 * ((axis[:, None] - p[None, :, 1]) / bandwidth) ** 2)
    density = (phi_y @ phi_x.T) / len(p)  # rows: y, columns: x
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    return gx.numpy(), gy.numpy(), density.numpy()


def mode_coverage(samples: np.ndarray | Tensor, centres: np.ndarray, std: float,
                  share: float = 0.2) -> dict[str, float]:
    """``modes_covered`` (count) and ``high_quality_fraction`` of samples near a centre."""
    s, c = _as_tensor(samples), _as_tensor(centres)
    dist, nearest = torch.cdist(s, c).min(1)
    good = dist <= 3 * std
    counts = torch.bincount(nearest[good], minlength=len(c))
    needed = share * len(s) / len(c)
    return {"modes_covered": int((counts >= needed).sum()),
            "high_quality_fraction": float(good.double().mean())}


def image_grid(images: Tensor | np.ndarray, nrow: int = 8, pad: int = 1) -> np.ndarray:
    """Tile N x 1 x H x W (or N x H x W) images into one 2-D array, ``nrow`` per row."""
    x = _as_tensor(images)
    x = x.reshape(len(x), *x.shape[-2:]) if x.dim() != 3 else x
    n, h, w = x.shape
    rows = -(-n // nrow)
    grid = torch.ones(rows * (h + pad) + pad, nrow * (w + pad) + pad, dtype=x.dtype)
    for k in range(n):
        r, c = divmod(k, nrow)
        grid[pad + r * (h + pad):pad + r * (h + pad) + h,
             pad + c * (w + pad):pad + c * (w + pad) + w] = x[k]
    return grid.numpy()
