"""ResNeXt (Xie et al. 2017) and the split-transform-merge layer of HW6 P4.

Cardinality is the number of parallel paths. A split-transform-merge (STM) layer with C
paths, each 1x1 (d_in -> d) -> ReLU -> 3x3 (d -> d) -> ReLU -> 1x1 (d -> d_out), summed,
has three equal forms (they differ only in how the biases are held):

    (a) :class:`STMConvLayer`: an ``nn.ModuleList`` of the C paths, outputs summed;
    (b) :class:`ConcatSTM`: the C paths' first two convs, concatenated, then one shared
        1x1 conv (C d -> d_out) whose bias is the sum of the C final biases;
    (c) :class:`GroupedSTM`: 1x1 (d_in -> C d) -> ReLU -> grouped 3x3 (C d -> C d, groups = C)
        -> ReLU -> 1x1 (C d -> d_out).

``from_paths`` copies (a)'s weights into (b) and (c). HW6 P4 compares (a) at C = 32, d = 4
with the plain bottleneck 1x1 256 -> 128, 3x3 128 -> 128, 1x1 128 -> 256 (a bias in every
conv; no activation after the sum, the default where the problem is silent).

ResNeXt-50 (32 x 4d) is ResNet-50 whose bottleneck 3 x 3 is grouped with cardinality 32 and
width 4 per group: 25,028,904 parameters (torchvision's ``resnext50_32x4d``).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from mfdnn.models.resnet import ResNet, resnet


def stm_path(in_channels: int, width: int, out_channels: int) -> nn.Sequential:
    """One path: 1x1 -> ReLU -> 3x3 p1 -> ReLU -> 1x1."""
    return nn.Sequential(
        nn.Conv2d(in_channels, width, 1), nn.ReLU(),
        nn.Conv2d(width, width, 3, padding=1), nn.ReLU(),
        nn.Conv2d(width, out_channels, 1),
    )


def bottleneck_block(in_channels: int = 256, width: int = 128,
                     out_channels: int = 256) -> nn.Sequential:
    """HW6 P4's plain bottleneck: one path of width 128."""
    return stm_path(in_channels, width, out_channels)


class STMConvLayer(nn.Module):
    """Form (a): ``cardinality`` paths of width ``width``, summed."""

    def __init__(self, in_channels: int = 256, out_channels: int = 256, cardinality: int = 32,
                 width: int = 4) -> None:
        super().__init__()
        self.paths = nn.ModuleList(stm_path(in_channels, width, out_channels)
                                   for _ in range(cardinality))

    def forward(self, x: Tensor) -> Tensor:
        return torch.stack([path(x) for path in self.paths]).sum(0)


class ConcatSTM(nn.Module):
    """Form (b): the paths' first two layers, concatenated, then one 1x1 conv."""

    def __init__(self, in_channels: int = 256, out_channels: int = 256, cardinality: int = 32,
                 width: int = 4) -> None:
        super().__init__()
        self.paths = nn.ModuleList(
            nn.Sequential(nn.Conv2d(in_channels, width, 1), nn.ReLU(),
                          nn.Conv2d(width, width, 3, padding=1), nn.ReLU())
            for _ in range(cardinality))
        self.merge = nn.Conv2d(cardinality * width, out_channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        return self.merge(torch.cat([path(x) for path in self.paths], dim=1))

    @classmethod
    def from_paths(cls, stm: STMConvLayer) -> ConcatSTM:
        first = stm.paths[0]
        layer = cls(first[0].in_channels, first[4].out_channels, len(stm.paths),
                    first[0].out_channels).to(first[0].weight)
        with torch.no_grad():
            for path, src in zip(layer.paths, stm.paths, strict=True):
                for i in (0, 2):
                    path[i].weight.copy_(src[i].weight)
                    path[i].bias.copy_(src[i].bias)
            layer.merge.weight.copy_(torch.cat([p[4].weight for p in stm.paths], dim=1))
            layer.merge.bias.copy_(torch.stack([p[4].bias for p in stm.paths]).sum(0))
        return layer


class GroupedSTM(nn.Module):
    """Form (c): 1x1 -> ReLU -> grouped 3x3 (groups = cardinality) -> ReLU -> 1x1."""

    def __init__(self, in_channels: int = 256, out_channels: int = 256, cardinality: int = 32,
                 width: int = 4) -> None:
        super().__init__()
        inner = cardinality * width
        self.reduce = nn.Conv2d(in_channels, inner, 1)
        self.grouped = nn.Conv2d(inner, inner, 3, padding=1, groups=cardinality)
        self.expand = nn.Conv2d(inner, out_channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        return self.expand(self.grouped(self.reduce(x).relu()).relu())

    @classmethod
    def from_paths(cls, stm: STMConvLayer) -> GroupedSTM:
        first = stm.paths[0]
        layer = cls(first[0].in_channels, first[4].out_channels, len(stm.paths),
                    first[0].out_channels).to(first[0].weight)
        with torch.no_grad():
            for name, i, dim in (("reduce", 0, 0), ("grouped", 2, 0), ("expand", 4, 1)):
                target = getattr(layer, name)
                target.weight.copy_(torch.cat([p[i].weight for p in stm.paths], dim=dim))
                if name == "expand":  # one shared bias: the sum of the paths' biases
                    target.bias.copy_(torch.stack([p[i].bias for p in stm.paths]).sum(0))
                else:
                    target.bias.copy_(torch.cat([p[i].bias for p in stm.paths]))
        return layer


def stm_param_count(in_channels: int = 256, out_channels: int = 256, cardinality: int = 32,
                    width: int = 4) -> int:
    """Hand count of form (a), a bias in every conv:
    C [(d_in d + d) + (9 d^2 + d) + (d d_out + d_out)]."""
    d = width
    path = (in_channels * d + d) + (9 * d * d + d) + (d * out_channels + out_channels)
    return cardinality * path


def resnext(depth: int = 50, cardinality: int = 32, width_per_group: int = 4,
            **kwargs) -> ResNet:
    """ResNeXt-``depth`` (``cardinality`` x ``width_per_group``d), v1.5 strides by default."""
    return resnet(depth, groups=cardinality, width_per_group=width_per_group, **kwargs)
