"""LeNet-5 with the modern choices, built for speed (``perf-lenet``).

The course's layer structure, 61,728 parameters:

    C1  Conv2d(1, 6, 5, padding=2), no bias      6 x 28 x 28
    S2  MaxPool2d(2), BatchNorm, ReLU             6 x 14 x 14
    C3  Conv2d(6, 16, 5), no bias (full C3)       16 x 10 x 10
    S4  MaxPool2d(2), BatchNorm, ReLU             16 x 5 x 5
    C5  Linear(400, 120), ReLU
    F6  Linear(120, 84), ReLU
    out Linear(84, 10)                            logits

Two choices are for the CPU's sake: the pool comes before BatchNorm and ReLU, which then
work on a quarter of the pixels (ReLU and max-pooling commute, and so does BN's per-channel
map when its scale is positive; what changes is that BN's statistics are those of the
pooled maps), and the convolutions carry no bias (BN's shift replaces it). BatchNorm is
:class:`mfdnn.nn.batchnorm.BatchNorm2d`, the written-out one.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from mfdnn.nn.batchnorm import BatchNorm2d


class LeNet5Fast(nn.Module):
    """Conv-pool-BN-ReLU twice, then three linear layers. As :class:`LeNet5`, a 28 x 28
    input is zero-padded to the paper's 32 x 32 in C1 and a 32 x 32 one is not."""

    def __init__(self, in_channels: int = 1, num_classes: int = 10,
                 image_size: int = 28) -> None:
        super().__init__()
        padding = max(0, (32 - image_size) // 2)
        self.c1 = nn.Conv2d(in_channels, 6, 5, padding=padding, bias=False)
        self.bn1 = BatchNorm2d(6)
        self.c3 = nn.Conv2d(6, 16, 5, bias=False)
        self.bn3 = BatchNorm2d(16)
        self.c5 = nn.Linear(400, 120)
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = torch.relu(self.bn1(nn.functional.max_pool2d(self.c1(x), 2)))
        x = torch.relu(self.bn3(nn.functional.max_pool2d(self.c3(x), 2)))
        x = torch.relu(self.c5(x.flatten(1)))
        return self.output(torch.relu(self.f6(x)))
