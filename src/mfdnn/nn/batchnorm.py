"""Batch normalisation written out with tensor reductions (Ioffe and Szegedy 2015).

In training mode, over the batch and spatial axes of x (N x C x H x W):

    mu = mean(x),  var = mean((x - mu)^2)  (biased),  y = gamma (x - mu) / sqrt(var + eps) + beta,

and the running statistics move by ``momentum`` toward mu and the *unbiased* variance
var * m / (m - 1), m = N H W; in eval mode they replace mu and var (PyTorch's kernel).
This is exactly ``torch.nn.BatchNorm2d`` (same parameters, buffers and state dict; the
backward pass is autograd's through these few operations).

Why write it out: for the few channels of a small network in ``channels_last`` memory,
PyTorch's CPU kernel (forward and backward) was a third of LeNet's training step here; with
the reductions below the whole step of ``perf-lenet``'s network went from 23.4 to 17.0 ms
(batch 256, 2 cores, one measurement on a shared machine).
Anything this class does not cover (``momentum=None``, no affine parameters, no running
statistics) falls back to PyTorch's kernel.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class BatchNorm2d(nn.BatchNorm2d):
    """``nn.BatchNorm2d`` computed by tensor reductions (same results, same state dict)."""

    def forward(self, x: Tensor) -> Tensor:
        if not (self.training and self.affine and self.track_running_stats
                and self.momentum is not None):
            return super().forward(x)  # eval mode: PyTorch's kernel is one fast affine map
        shape = (1, -1, 1, 1)
        # statistics in (at least) float32 also when autocast hands us bf16, as PyTorch's
        # kernel keeps them; the output has the input's dtype
        acc = torch.promote_types(x.dtype, torch.float32)
        mean = x.mean((0, 2, 3), keepdim=True, dtype=acc)
        centred = x - mean
        var = centred.square().mean((0, 2, 3), keepdim=True)
        with torch.no_grad():
            m = x.numel() // x.shape[1]
            self.running_mean.lerp_(mean.flatten().to(self.running_mean.dtype), self.momentum)
            unbiased = var.flatten() * (m / max(m - 1, 1))
            self.running_var.lerp_(unbiased.to(self.running_var.dtype), self.momentum)
            self.num_batches_tracked.add_(1)
        scale = torch.rsqrt(var + self.eps) * self.weight.view(shape)
        return (centred * scale + self.bias.view(shape)).to(x.dtype)
