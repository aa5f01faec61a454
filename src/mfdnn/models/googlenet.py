"""GoogLeNet / Inception v1 (Szegedy et al. 2015) and the Inception modules of HW5 P5.

An Inception module runs four branches in parallel and concatenates their channels:

    1x1 | 1x1 -> 3x3 | 1x1 -> 5x5 | 3x3 max-pool (stride 1) -> 1x1

The 1 x 1 "reduce" convolutions are bottlenecks that cut the cost of the 3 x 3 and 5 x 5
ones. The *naive* module (HW5 P5) has no reducers and passes the pooled input through.

* ImageNet (the paper's Table 1, without the auxiliary classifiers), 224 x 224:
  conv 7x7/2 64 -> max-pool 3/2 -> LRN -> conv 1x1 64 -> conv 3x3 192 -> LRN -> max-pool
  -> 3a, 3b -> max-pool -> 4a ... 4e -> max-pool -> 5a, 5b -> global average pool
  -> dropout 0.4 -> FC 1000. Every conv has a bias and a ReLU. ``torchvision=True`` builds
  torchvision's variant instead: BatchNorm (eps 1e-3) after every bias-free conv, no LRN,
  and a 3 x 3 kernel in the "5 x 5" branch (a known deviation of torchvision's model, kept
  there for its pretrained weights): 6,624,904 parameters instead of the paper's 6,998,552.
* Small images (the course's GoogLeNet-CIFAR10; 6,180,410 parameters on CIFAR-10):
  conv 7x7 p3 64 -> conv 1x1 64 -> conv 5x5 192 (32 -> 28) -> 3a, 3b -> max-pool 3/2 p1
  (-> 14) -> 4a ... 4e -> max-pool 2/2 (-> 7) -> 5a, 5b -> global average pool
  -> dropout 0.4 -> FC. The course initialises it Xavier-uniform (``mfdnn.nn.init``);
  ``batch_norm=True`` is the chapter's "GoogLeNet + BN after every conv".
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

# (1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj) of each module (the paper's Table 1)
MODULES: dict[str, tuple[int, int, int, int, int, int]] = {
    "3a": (64, 96, 128, 16, 32, 32),
    "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64),
    "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128),
    "5b": (384, 192, 384, 48, 128, 128),
}


def conv_relu(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
              padding: int = 0, batch_norm: bool = False, bn_eps: float = 1e-5
              ) -> nn.Sequential:
    """conv -> ReLU, or conv (no bias) -> BatchNorm -> ReLU."""
    conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding,
                     bias=not batch_norm)
    if batch_norm:
        return nn.Sequential(conv, nn.BatchNorm2d(out_channels, eps=bn_eps), nn.ReLU(inplace=True))
    return nn.Sequential(conv, nn.ReLU(inplace=True))


class NaiveInception(nn.Module):
    """1x1 | 3x3 p1 | 5x5 p2 | 3x3 max-pool (stride 1, p1) passing the input through."""

    def __init__(self, in_channels: int, c1: int, c3: int, c5: int) -> None:
        super().__init__()
        self.branch1 = conv_relu(in_channels, c1, 1)
        self.branch3 = conv_relu(in_channels, c3, 3, padding=1)
        self.branch5 = conv_relu(in_channels, c5, 5, padding=2)
        self.pool = nn.MaxPool2d(3, 1, padding=1)
        self.out_channels = c1 + c3 + c5 + in_channels

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat([self.branch1(x), self.branch3(x), self.branch5(x), self.pool(x)], 1)


class Inception(nn.Module):
    """1x1 | 1x1 -> 3x3 | 1x1 -> 5x5 | 3x3 max-pool -> 1x1 (the bottleneck module)."""

    def __init__(self, in_channels: int, c1: int, c3_reduce: int, c3: int, c5_reduce: int,
                 c5: int, pool_proj: int, batch_norm: bool = False, bn_eps: float = 1e-5,
                 kernel5: int = 5, pool_ceil: bool = False) -> None:
        super().__init__()
        kw = dict(batch_norm=batch_norm, bn_eps=bn_eps)
        self.branch1 = conv_relu(in_channels, c1, 1, **kw)
        self.branch2 = nn.Sequential(conv_relu(in_channels, c3_reduce, 1, **kw),
                                     conv_relu(c3_reduce, c3, 3, padding=1, **kw))
        self.branch3 = nn.Sequential(conv_relu(in_channels, c5_reduce, 1, **kw),
                                     conv_relu(c5_reduce, c5, kernel5, padding=kernel5 // 2, **kw))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, padding=1, ceil_mode=pool_ceil),
                                     conv_relu(in_channels, pool_proj, 1, **kw))
        self.out_channels = c1 + c3 + c5 + pool_proj

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class GoogLeNet(nn.Module):
    """GoogLeNet without auxiliary classifiers; ``config`` is ``imagenet`` or ``small``."""

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, config: str = "imagenet",
                 batch_norm: bool = False, torchvision: bool = False,
                 dropout: float = 0.4) -> None:
        super().__init__()
        if torchvision:
            batch_norm = True
        kw = dict(batch_norm=batch_norm, bn_eps=1e-3 if torchvision else 1e-5)
        if config == "imagenet":
            lrn = (nn.Identity if torchvision
                   else lambda: nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=1.0))
            self.stem = nn.Sequential(
                conv_relu(in_channels, 64, 7, stride=2, padding=3, **kw),
                nn.MaxPool2d(3, 2, ceil_mode=True), lrn(),
                conv_relu(64, 64, 1, **kw),
                conv_relu(64, 192, 3, padding=1, **kw), lrn(),
                nn.MaxPool2d(3, 2, ceil_mode=True),
            )
            pool3, pool4 = nn.MaxPool2d(3, 2, ceil_mode=True), nn.MaxPool2d(3, 2, ceil_mode=True)
        elif config == "small":
            self.stem = nn.Sequential(
                conv_relu(in_channels, 64, 7, padding=3, **kw),
                conv_relu(64, 64, 1, **kw),
                conv_relu(64, 192, 5, **kw),
            )
            pool3, pool4 = nn.MaxPool2d(3, 2, padding=1), nn.MaxPool2d(2, 2)
        else:
            raise ValueError(f"config must be imagenet or small, not {config!r}")
        inception_kw = dict(kw, kernel5=3 if torchvision else 5, pool_ceil=torchvision)
        channels = 192
        stages: list[nn.Module] = []
        for name, spec in MODULES.items():
            if name == "4a":
                stages.append(pool3)
            if name == "5a":
                stages.append(pool4)
            module = Inception(channels, *spec, **inception_kw)
            stages.append(module)
            channels = module.out_channels
        self.inception = nn.Sequential(*stages)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = self.gap(self.inception(self.stem(x))).flatten(1)
        return self.fc(self.dropout(x))


def inception_cost(in_channels: int, size: tuple[int, int],
                   convs: list[tuple[int, int, int]]) -> dict[str, int]:
    """Hand counts of a module given as its convolutions ``(C_in, C_out, k)`` (all 'same'
    padded, stride 1) on an ``in_channels`` x H x W input, under HW5 P5's conventions:

    * params: sum of C_out C_in k^2 + C_out (biases included; pooling has none);
    * mults: sum of H W C_out C_in k^2 (biases and pooling excluded; the additions are as many);
    * activations: sum of H W C_out, a ReLU after every convolution (never the pool branch).
    """
    h, w = size
    return {
        "params": sum(co * ci * k * k + co for ci, co, k in convs),
        "mults": sum(h * w * co * ci * k * k for ci, co, k in convs),
        "activations": sum(h * w * co for _, co, _ in convs),
    }


def naive_convs(in_channels: int, c1: int, c3: int, c5: int) -> list[tuple[int, int, int]]:
    """The convolutions of :class:`NaiveInception`."""
    return [(in_channels, c1, 1), (in_channels, c3, 3), (in_channels, c5, 5)]


def bottleneck_convs(in_channels: int, c1: int, c3_reduce: int, c3: int, c5_reduce: int,
                     c5: int, pool_proj: int) -> list[tuple[int, int, int]]:
    """The convolutions of :class:`Inception`."""
    return [(in_channels, c1, 1), (in_channels, c3_reduce, 1), (c3_reduce, c3, 3),
            (in_channels, c5_reduce, 1), (c5_reduce, c5, 5), (in_channels, pool_proj, 1)]
