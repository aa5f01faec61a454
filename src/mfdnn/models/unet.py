"""Semantic segmentation networks f_theta: R^{C x m x n} -> R^{k x m x n} (a class score per pixel).

U-Net (Ronneberger et al. 2015; the course notebook's version): a contracting path of
encoder blocks [Conv-BN-ReLU, Conv-BN-ReLU] each followed by 2 x 2 max pooling (widths
24, 64, 128, 256, 512 in the notebook), a centre Conv-BN-ReLU, and an expanding path whose
every block upsamples by a transposed convolution (kernel 2, stride 2), concatenates the
encoder's output of the same scale (the skip connection) and applies 3 x Conv-BN-ReLU; a
1 x 1 conv gives the k class scores. The input side must be divisible by 2^levels.

The plain fully-convolutional baseline (:class:`FCN`) has the same contracting path and
centre but no skip connections and no learned upsampling: an FCN head (3 x 3 conv to
width/4, BN, ReLU, dropout 0.1, 1 x 1 conv to k, as in the notebook's FCN-ResNet50) on the
coarsest features, then bilinear upsampling back to m x n. What the skips add is the
fine-scale localisation that the coarse features lost.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def encoder_param_count(in_channels: int, widths: tuple[int, ...]) -> int:
    """Conv-BN-ReLU with i inputs and o outputs has 9io (bias-free conv) + 2o (BN) parameters."""
    total, prev = 0, in_channels
    for w in widths:
        total += (9 * prev * w + 2 * w) + (9 * w * w + 2 * w)
        prev = w
    return total + 9 * prev * prev + 2 * prev  # the centre


def unet_param_count(in_channels: int = 3, num_classes: int = 21,
                     widths: tuple[int, ...] = (24, 64, 128, 256, 512)) -> int:
    total, prev = encoder_param_count(in_channels, widths), widths[-1]
    for w in reversed(widths):
        total += 4 * prev * w + w  # ConvTranspose2d(prev, w, 2, stride 2) with bias
        total += (9 * 2 * w * w + 2 * w) + 2 * (9 * w * w + 2 * w)  # 3 x Conv-BN-ReLU
        prev = w
    return total + widths[0] * num_classes + num_classes  # 1 x 1 classifier


def fcn_param_count(in_channels: int = 3, num_classes: int = 21,
                    widths: tuple[int, ...] = (24, 64, 128, 256, 512)) -> int:
    mid = max(widths[-1] // 4, 1)
    head = 9 * widths[-1] * mid + 2 * mid + mid * num_classes + num_classes
    return encoder_param_count(in_channels, widths) + head


def conv_bn_relu(in_channels: int, out_channels: int) -> list[nn.Module]:
    return [nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True)]


class Encoder(nn.Module):
    """The contracting path: returns the features before each pooling, and the pooled output."""

    def __init__(self, in_channels: int, widths: tuple[int, ...]) -> None:
        super().__init__()
        blocks, prev = [], in_channels
        for w in widths:
            blocks.append(nn.Sequential(*conv_bn_relu(prev, w), *conv_bn_relu(w, w)))
            prev = w
        self.blocks = nn.ModuleList(blocks)
        self.centre = nn.Sequential(*conv_bn_relu(prev, prev))

    def forward(self, x: Tensor) -> tuple[list[Tensor], Tensor]:
        skips = []
        for block in self.blocks:
            x = block(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        return skips, self.centre(x)


class UNet(nn.Module):
    def __init__(self, in_channels: int = 3, num_classes: int = 21,
                 widths: tuple[int, ...] = (24, 64, 128, 256, 512)) -> None:
        super().__init__()
        self.levels = len(widths)
        self.encoder = Encoder(in_channels, widths)
        ups, decoders, prev = [], [], widths[-1]
        for w in reversed(widths):
            ups.append(nn.ConvTranspose2d(prev, w, kernel_size=2, stride=2))
            decoders.append(nn.Sequential(*conv_bn_relu(2 * w, w), *conv_bn_relu(w, w),
                                          *conv_bn_relu(w, w)))
            prev = w
        self.ups, self.decoders = nn.ModuleList(ups), nn.ModuleList(decoders)
        self.classifier = nn.Conv2d(widths[0], num_classes, 1)

    def forward(self, x: Tensor) -> Tensor:
        _check_size(x, self.levels)
        skips, x = self.encoder(x)
        for up, decoder, skip in zip(self.ups, self.decoders, reversed(skips), strict=True):
            x = decoder(torch.cat([up(x), skip], dim=1))  # upsample, then join the skip
        return self.classifier(x)


class FCN(nn.Module):
    """Plain fully-convolutional baseline: U-Net's encoder, a head, bilinear upsampling."""

    def __init__(self, in_channels: int = 3, num_classes: int = 21,
                 widths: tuple[int, ...] = (24, 64, 128, 256, 512)) -> None:
        super().__init__()
        self.levels = len(widths)
        self.encoder = Encoder(in_channels, widths)
        mid = max(widths[-1] // 4, 1)
        self.head = nn.Sequential(*conv_bn_relu(widths[-1], mid), nn.Dropout(0.1),
                                  nn.Conv2d(mid, num_classes, 1))

    def forward(self, x: Tensor) -> Tensor:
        _check_size(x, self.levels)
        _, features = self.encoder(x)
        scores = self.head(features)
        return F.interpolate(scores, size=x.shape[-2:], mode="bilinear", align_corners=False)


def _check_size(x: Tensor, levels: int) -> None:
    if x.shape[-2] % 2**levels or x.shape[-1] % 2**levels:
        raise ValueError(f"input size {tuple(x.shape[-2:])} is not divisible by 2^{levels}")
