"""The multiscale Real NVP (Dinh, Sohl-Dickstein and Bengio 2017), Chapter 5.2.

For an input of shape C x H x W and L levels, each level l < L runs

    3 checkerboard couplings (alternating parity) -> squeeze to 4c x h/2 x w/2 ->
    3 channel couplings (alternating halves) -> factor out half the channels (Z_l),

and the last level runs the same without the factor-out (Z_L is what remains). For the
course's 3 x 32 x 32 example and L = 3 that is Z_1: 6 x 16 x 16, Z_2: 12 x 8 x 8,
Z_3: 48 x 4 x 4. For MNIST (1 x 28 x 28) two levels give Z_1: 2 x 14 x 14, Z_2: 8 x 7 x 7.

``forward`` returns z = (Z_1, ..., Z_L) flattened and concatenated, shape (B, CHW); the
prior is N(0, I). ``logit_alpha`` puts the logit transform in front, so ``log_prob`` of
dequantised pixels y in [0, 1] is the density of y. ``batch_norm`` inserts a
:class:`FlowBatchNorm` after every coupling. s and t come from a small residual CNN.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from mfdnn.flows.base import Flow, StandardNormal
from mfdnn.flows.coupling import AffineCoupling, channel_mask, checkerboard_mask
from mfdnn.flows.layers import FlowBatchNorm, LogitTransform, Squeeze


class ResidualBlock(nn.Module):
    def __init__(self, features: int):
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, 3, padding=1)
        self.conv2 = nn.Conv2d(features, features, 3, padding=1)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.conv2(torch.relu(self.conv1(torch.relu(x))))


class ResNetST(nn.Module):
    """in_channels -> features -> n_blocks residual blocks -> 2 in_channels (raw s, t).

    The last convolution starts at zero, so every coupling starts as the identity.
    """

    def __init__(self, in_channels: int, features: int, n_blocks: int):
        super().__init__()
        self.head = nn.Conv2d(in_channels, features, 3, padding=1)
        self.blocks = nn.Sequential(*(ResidualBlock(features) for _ in range(n_blocks)))
        self.tail = nn.Conv2d(features, 2 * in_channels, 3, padding=1)
        nn.init.zeros_(self.tail.weight)
        nn.init.zeros_(self.tail.bias)

    def forward(self, x: Tensor) -> Tensor:
        return self.tail(torch.relu(self.blocks(self.head(x))))


class RealNVP(Flow):
    """Multiscale Real NVP on images of shape ``in_shape`` = (C, H, W)."""

    def __init__(self, in_shape: tuple[int, int, int] = (1, 28, 28), levels: int = 2,
                 features: int = 64, n_blocks: int = 4, couplings: int = 3,
                 batch_norm: bool = False, logit_alpha: float | None = 0.05):
        super().__init__()
        c, h, w = in_shape
        self.in_shape = tuple(in_shape)
        self.preprocess = LogitTransform(logit_alpha) if logit_alpha is not None else None
        self.levels = nn.ModuleList()
        self.factored_shapes: list[tuple[int, int, int]] = []
        for level in range(levels):
            layers: list[Flow] = []
            for k in range(couplings):
                layers.append(AffineCoupling(checkerboard_mask(h, w, k % 2),
                                             ResNetST(c, features, n_blocks), c))
                if batch_norm:
                    layers.append(FlowBatchNorm(c))
            layers.append(Squeeze())
            c, h, w = 4 * c, h // 2, w // 2
            for k in range(couplings):
                layers.append(AffineCoupling(channel_mask(c, k % 2 == 0),
                                             ResNetST(c, features, n_blocks), c))
                if batch_norm:
                    layers.append(FlowBatchNorm(c))
            self.levels.append(nn.ModuleList(layers))
            if level < levels - 1:
                c //= 2
                self.factored_shapes.append((c, h, w))
        self.factored_shapes.append((c, h, w))
        self.prior = StandardNormal(sum(a * b * d for a, b, d in self.factored_shapes))

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        x = x.reshape(len(x), *self.in_shape)
        total = x.new_zeros(len(x))
        if self.preprocess is not None:
            x, log_det = self.preprocess.forward_and_log_det(x)
            total = total + log_det
        parts = []
        for i, level in enumerate(self.levels):
            for layer in level:
                x, log_det = layer.forward_and_log_det(x)
                total = total + log_det
            if i < len(self.levels) - 1:
                factored, x = x.chunk(2, dim=1)  # Z_i leaves the flow here
                parts.append(factored.flatten(1))
        parts.append(x.flatten(1))
        return torch.cat(parts, dim=1), total

    def inverse(self, z: Tensor) -> Tensor:
        sizes = [a * b * d for a, b, d in self.factored_shapes]
        chunks = z.split(sizes, dim=1)
        x = chunks[-1].reshape(len(z), *self.factored_shapes[-1])
        for i in reversed(range(len(self.levels))):
            if i < len(self.levels) - 1:
                factored = chunks[i].reshape(len(z), *self.factored_shapes[i])
                x = torch.cat([factored, x], dim=1)
            for layer in reversed(self.levels[i]):
                x = layer.inverse(x)
        if self.preprocess is not None:
            x = self.preprocess.inverse(x)
        return x
