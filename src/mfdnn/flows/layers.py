"""Volume-tracking layers used around couplings: squeeze, flow BatchNorm, the logit transform.

* **Squeeze** (Real NVP): C x H x W -> 4C x H/2 x W/2, each 2 x 2 block becoming four
  channels. A permutation of the entries: log |det| = 0.
* **Flow BatchNorm** (Chapter 5.2): x -> (x - mu~) / sqrt(sigma~^2 + eps) per channel,
  without gamma and beta. In training mode mu~, sigma~^2 are the batch's statistics and the
  running ones follow mu~ <- rho mu~ + (1 - rho) mu^; in eval mode the running ones are used.
  log |det| = -1/2 sum_i log(sigma~_i^2 + eps), summed over every entry (channels times
  positions).
* **Logit transform** (Real NVP's preprocessing of pixels y in [0, 1]):
  x = logit(a + (1 - 2a) y), log |det| = sum [log(1 - 2a) - log p - log(1 - p)] with
  p = a + (1 - 2a) y.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from mfdnn.flows.base import Flow, sum_except_batch


class Squeeze(Flow):
    """(B, C, H, W) -> (B, 4C, H/2, W/2)."""

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        b, c, h, w = x.shape
        if h % 2 or w % 2:
            raise ValueError(f"squeeze needs even height and width, got {h} x {w}")
        x = x.view(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4)
        return x.reshape(b, 4 * c, h // 2, w // 2), x.new_zeros(b)

    def inverse(self, z: Tensor) -> Tensor:
        b, c4, h, w = z.shape
        c = c4 // 4
        z = z.view(b, c, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3)
        return z.reshape(b, c, 2 * h, 2 * w)


class FlowBatchNorm(Flow):
    """Batch normalisation as a flow layer (no gamma, beta); dim 1 holds the channels."""

    def __init__(self, num_features: int, momentum: float = 0.1, eps: float = 1e-5):
        super().__init__()
        self.momentum, self.eps = momentum, eps
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self._batch: tuple[Tensor, Tensor] | None = None

    def _shape(self, x: Tensor) -> list[int]:
        return [1, -1] + [1] * (x.dim() - 2)

    def _stats(self, x: Tensor) -> tuple[Tensor, Tensor]:
        if not self.training:
            return self.running_mean, self.running_var
        dims = [0] + list(range(2, x.dim()))
        mean, var = x.mean(dims), x.var(dims, unbiased=False)
        with torch.no_grad():  # mu~ <- rho mu~ + (1 - rho) mu^, rho = 1 - momentum
            self.running_mean.lerp_(mean, self.momentum)
            self.running_var.lerp_(var, self.momentum)
        self._batch = (mean.detach(), var.detach())
        return mean, var

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        mean, var = self._stats(x)
        shape = self._shape(x)
        z = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + self.eps)
        positions = x[0, 0].numel()
        log_det = -0.5 * torch.log(var + self.eps).sum() * positions
        return z, log_det.expand(len(x))

    def inverse(self, z: Tensor) -> Tensor:
        """Running statistics in eval mode; in training mode those of the last batch seen."""
        mean, var = (self._batch if self.training and self._batch is not None
                     else (self.running_mean, self.running_var))
        shape = self._shape(z)
        return z * torch.sqrt(var.view(shape) + self.eps) + mean.view(shape)


class LogitTransform(Flow):
    """y in (0, 1) -> logit(a + (1 - 2a) y)."""

    def __init__(self, alpha: float = 0.05):
        super().__init__()
        self.alpha = alpha

    def forward_and_log_det(self, y: Tensor) -> tuple[Tensor, Tensor]:
        p = self.alpha + (1 - 2 * self.alpha) * y
        x = torch.log(p) - torch.log1p(-p)
        log_det = math.log(1 - 2 * self.alpha) - torch.log(p) - torch.log1p(-p)
        return x, sum_except_batch(log_det)

    def inverse(self, x: Tensor) -> Tensor:
        return (torch.sigmoid(x) - self.alpha) / (1 - 2 * self.alpha)
