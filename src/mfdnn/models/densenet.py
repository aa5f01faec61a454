"""DenseNet (Huang et al. 2017), DenseNet-BC.

Inside a dense block every layer reads the concatenation of all earlier feature maps and adds
``growth_rate`` (k) new ones:

    x_l = H_l([x_0, x_1, ..., x_{l-1}]),   H_l = BN-ReLU-conv1x1 (bn_size k) - BN-ReLU-conv3x3 (k)

Between blocks a transition BN-ReLU-conv1x1 halves the channels (compression 0.5) and a
2 x 2 average pool halves the size. DenseNet-121 (k = 32, blocks of 6, 12, 24, 16 layers,
64 stem channels) has 7,978,856 parameters, as torchvision's ``densenet121``, whose module
names are kept. The ``imagenet`` stem is conv 7x7/2 -> BN -> ReLU -> max-pool 3/2; the
``small`` stem is one conv 3x3/1 (2k channels), no pool, for 32 x 32 images.

DenseNet is named in the course's week 8 plan but has no lecture content (Chapter 3
discrepancy 16): it is here as an extra of the zoo.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class DenseLayer(nn.Module):
    """BN-ReLU-conv1x1 (bn_size * k) -> BN-ReLU-conv3x3 (k) on the concatenated inputs."""

    def __init__(self, in_channels: int, growth_rate: int, bn_size: int) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(in_channels, bn_size * growth_rate, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, 3, padding=1, bias=False)

    def forward(self, features: list[Tensor]) -> Tensor:
        x = self.conv1(self.relu1(self.norm1(torch.cat(features, 1))))
        return self.conv2(self.relu2(self.norm2(x)))


class DenseBlock(nn.ModuleDict):
    def __init__(self, num_layers: int, in_channels: int, growth_rate: int, bn_size: int) -> None:
        super().__init__()
        for i in range(num_layers):
            self.add_module(f"denselayer{i + 1}",
                            DenseLayer(in_channels + i * growth_rate, growth_rate, bn_size))

    def forward(self, x: Tensor) -> Tensor:
        features = [x]
        for layer in self.values():
            features.append(layer(features))
        return torch.cat(features, 1)


class Transition(nn.Sequential):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(in_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        self.pool = nn.AvgPool2d(2, 2)


class DenseNet(nn.Module):
    """DenseNet-BC; the defaults are DenseNet-121."""

    def __init__(self, growth_rate: int = 32, block_config: tuple[int, ...] = (6, 12, 24, 16),
                 num_init_features: int = 64, bn_size: int = 4, compression: float = 0.5,
                 num_classes: int = 1000, in_channels: int = 3, stem: str = "imagenet") -> None:
        super().__init__()
        if stem == "imagenet":
            layers: list[tuple[str, nn.Module]] = [
                ("conv0", nn.Conv2d(in_channels, num_init_features, 7, 2, 3, bias=False)),
                ("norm0", nn.BatchNorm2d(num_init_features)),
                ("relu0", nn.ReLU(inplace=True)),
                ("pool0", nn.MaxPool2d(3, 2, 1)),
            ]
        elif stem == "small":
            layers = [("conv0", nn.Conv2d(in_channels, num_init_features, 3, 1, 1, bias=False))]
        else:
            raise ValueError(f"stem must be imagenet or small, not {stem!r}")
        self.features = nn.Sequential()
        for name, module in layers:
            self.features.add_module(name, module)
        channels = num_init_features
        for i, num_layers in enumerate(block_config):
            self.features.add_module(f"denseblock{i + 1}",
                                     DenseBlock(num_layers, channels, growth_rate, bn_size))
            channels += num_layers * growth_rate
            if i != len(block_config) - 1:
                out = int(channels * compression)
                self.features.add_module(f"transition{i + 1}", Transition(channels, out))
                channels = out
        self.features.add_module("norm5", nn.BatchNorm2d(channels))
        self.classifier = nn.Linear(channels, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = torch.relu(self.features(x))
        return self.classifier(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1))
