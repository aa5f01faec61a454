"""Affine coupling (Real NVP, Dinh, Sohl-Dickstein and Bengio 2017) with a binary mask.

With a mask b (1 on the index set Omega that passes through unchanged):

    z = b * x + (1 - b) * (x * e^{s(b * x)} + t(b * x)),
    log |det Dz/dx| = sum over the entries with b = 0 of s(b * x)          (HW9 P3),

because after permuting Omega first the Jacobian is block-triangular with the identity
and diag(e^s) on its diagonal. The inverse is x = b * z + (1 - b) * (z - t(b * z)) e^{-s(b * z)}.

Masks: :func:`checkerboard_mask` (pixels with (i + j) even or odd) and
:func:`channel_mask` (the first or second half of the channels, used after a squeeze).
Any 0/1 tensor that broadcasts against x works, e.g. an index set of a vector.
``s`` is bounded as ``scale * tanh(raw)`` for stability, with a learned ``scale``.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from mfdnn.flows.base import Flow, sum_except_batch


def checkerboard_mask(height: int, width: int, parity: int = 0) -> Tensor:
    """A (1, 1, H, W) mask with 1 where (i + j) % 2 == parity."""
    i = torch.arange(height).view(-1, 1)
    j = torch.arange(width).view(1, -1)
    return ((i + j) % 2 == parity).float().view(1, 1, height, width)


def channel_mask(channels: int, first_half: bool = True) -> Tensor:
    """A (1, C, 1, 1) mask with 1 on the first (or the second) half of the channels."""
    mask = torch.zeros(1, channels, 1, 1)
    half = channels // 2
    if first_half:
        mask[:, :half] = 1
    else:
        mask[:, half:] = 1
    return mask


class AffineCoupling(Flow):
    """z = b x + (1 - b)(x e^{s(bx)} + t(bx)); ``net`` maps bx to 2C channels (raw s, t).

    ``net`` takes a tensor shaped like x and returns one with twice as many entries along
    dim 1 (channels for images, features for vectors): the first half is s, the second t.
    """

    def __init__(self, mask: Tensor, net: nn.Module, channels: int):
        super().__init__()
        self.register_buffer("mask", mask)
        self.net = net
        shape = [1, channels] + [1] * (mask.dim() - 2)
        self.scale = nn.Parameter(torch.ones(shape))

    def _s_t(self, x_kept: Tensor) -> tuple[Tensor, Tensor]:
        raw_s, t = self.net(x_kept).chunk(2, dim=1)
        free = 1 - self.mask
        return free * self.scale * torch.tanh(raw_s), free * t

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        s, t = self._s_t(x * self.mask)
        z = x * torch.exp(s) + t  # s = t = 0 on the kept entries, so they pass through
        return z, sum_except_batch(s)  # log |det| = sum of s over the free entries

    def inverse(self, z: Tensor) -> Tensor:
        s, t = self._s_t(z * self.mask)
        return (z - t) * torch.exp(-s)
