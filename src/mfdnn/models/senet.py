"""Squeeze-and-excitation networks (Hu, Shen and Sun 2018; the 2017 ImageNet winner).

An SE module re-weights the channels of a feature map x (C x H x W):

    squeeze:    z_c = mean_{i,j} x_{c,i,j}                      (global average pooling)
    excitation: s = sigmoid(W_2 ReLU(W_1 z + b_1) + b_2),        W_1: C/r x C, W_2: C x C/r
    scale:      y_{c,i,j} = s_c x_{c,i,j}

with reduction r = 16. SE-ResNet puts one in every residual block, on the residual branch
just before the addition: SE-ResNet-50 has 28,088,024 parameters (ResNet-50's 25,557,032
plus 2 C^2 / r + C / r + C per block). The course's notebook puts SE modules on the CIFAR
ResNet skeleton (:func:`se_cifar_resnet`); its SE forward lacked a ``return``
(Chapter 3 discrepancy 10), fixed here.
"""

from __future__ import annotations

import functools

from torch import Tensor, nn

from mfdnn.models.resnet import ResNet, cifar_resnet, resnet


class SEModule(nn.Module):
    """x -> sigmoid(W_2 ReLU(W_1 GAP(x))) * x, per channel."""

    def __init__(self, channels: int, reduction: int = 16) -> None:
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc1 = nn.Linear(channels, hidden)
        self.fc2 = nn.Linear(hidden, channels)

    def forward(self, x: Tensor) -> Tensor:
        z = x.mean(dim=(2, 3))  # squeeze
        s = self.fc2(self.fc1(z).relu()).sigmoid()  # excitation
        return x * s[:, :, None, None]  # scale


def se_resnet(depth: int, *, reduction: int = 16, **kwargs) -> ResNet:
    """SE-ResNet-``depth`` (18, 34, 50, ...): :func:`resnet` with an SE module per block."""
    return resnet(depth, attention=functools.partial(SEModule, reduction=reduction), **kwargs)


def se_cifar_resnet(depth: int, *, reduction: int = 16, **kwargs) -> ResNet:
    """He et al.'s CIFAR ResNet with an SE module per block (the course notebook's SENet)."""
    return cifar_resnet(depth, attention=functools.partial(SEModule, reduction=reduction),
                        **kwargs)
