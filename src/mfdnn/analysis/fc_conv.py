"""Fully connected layers as convolutions (HW7 P5, Chapter 3 "network in network").

A ``Linear(C * H * W, n)`` applied to a flattened C x H x W map is the convolution
``Conv2d(C, n, (H, W))`` applied to the map itself: both compute

    y_o = b_o + sum_{c, i, j} A[o, c*H*W + i*W + j] x[c, i, j],

so the conv weight is the linear weight reshaped to n x C x H x W (flatten's row-major
order). A ``Linear(m, n)`` after such a layer becomes a 1 x 1 convolution. On a larger
input the converted network slides the classifier over every H x W window at once: its
output at (i, j) is the original network applied to the crop at offset (i, j) (times the
stride of the features).
"""

from __future__ import annotations

import torch
from torch import nn


def linear_to_conv(linear: nn.Linear, in_shape: tuple[int, int, int]) -> nn.Conv2d:
    """The ``Conv2d`` with kernel ``in_shape[1:]`` that equals ``linear`` on a C x H x W map."""
    C, H, W = in_shape
    if linear.in_features != C * H * W:
        raise ValueError(f"Linear takes {linear.in_features} inputs, not {C}*{H}*{W}")
    conv = nn.Conv2d(C, linear.out_features, (H, W), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    copy_linear_into_conv(conv, linear)
    return conv


def copy_linear_into_conv(conv: nn.Conv2d, linear: nn.Linear) -> None:
    """Copy ``linear``'s weight (reshaped to the conv's n x C x H x W) and bias into ``conv``."""
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(conv.weight.shape))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
