"""Network in Network (Lin, Chen and Yan 2013): 1 x 1 convolutions as per-pixel MLPs, and
global average pooling instead of fully connected layers.

An "mlpconv" block is an f x f convolution followed by two 1 x 1 convolutions, each with a
ReLU (the paper's Caffe models put a ReLU after the last one too, before the pooling).

* ImageNet (the Caffe model zoo's NIN-ImageNet; the paper gives no table for it), 224 x 224:
  mlpconv(11x11/4, 96, 96, 96) -> max-pool 3/2 -> mlpconv(5x5 p2, 256, 256, 256)
  -> max-pool 3/2 -> mlpconv(3x3 p1, 384, 384, 384) -> max-pool 3/2 -> dropout
  -> mlpconv(3x3 p1, 1024, 1024, classes) -> global average pool.
* Small images (the course's NiN-CIFAR10; 966,986 parameters):
  mlpconv(5x5 p2, 192, 160, 96) -> max-pool 3/2 p1 -> dropout
  -> mlpconv(5x5 p2, 192, 192, 192) -> max-pool 3/2 p1 -> dropout
  -> mlpconv(3x3 p1, 192, 192, classes) -> global average pool.
  The slides' ``ceil_mode=True`` pools and the notebook's padding 1 both give 32 -> 16 -> 8;
  padding 1 is used (Chapter 3 discrepancy 7).
"""

from __future__ import annotations

from torch import Tensor, nn


def mlpconv(in_channels: int, channels: tuple[int, int, int], kernel_size: int,
            stride: int = 1, padding: int = 0) -> nn.Sequential:
    """f x f conv -> ReLU -> 1 x 1 conv -> ReLU -> 1 x 1 conv -> ReLU."""
    a, b, c = channels
    return nn.Sequential(
        nn.Conv2d(in_channels, a, kernel_size, stride, padding), nn.ReLU(inplace=True),
        nn.Conv2d(a, b, 1), nn.ReLU(inplace=True),
        nn.Conv2d(b, c, 1), nn.ReLU(inplace=True),
    )


class NiN(nn.Module):
    """NiN; ``config`` is ``imagenet`` or ``small``."""

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, config: str = "imagenet",
                 dropout: float = 0.5) -> None:
        super().__init__()
        if config == "imagenet":
            self.features = nn.Sequential(
                mlpconv(in_channels, (96, 96, 96), 11, stride=4), nn.MaxPool2d(3, 2),
                mlpconv(96, (256, 256, 256), 5, padding=2), nn.MaxPool2d(3, 2),
                mlpconv(256, (384, 384, 384), 3, padding=1), nn.MaxPool2d(3, 2),
                nn.Dropout(dropout),
                mlpconv(384, (1024, 1024, num_classes), 3, padding=1),
            )
        elif config == "small":
            self.features = nn.Sequential(
                mlpconv(in_channels, (192, 160, 96), 5, padding=2),
                nn.MaxPool2d(3, 2, padding=1), nn.Dropout(dropout),
                mlpconv(96, (192, 192, 192), 5, padding=2),
                nn.MaxPool2d(3, 2, padding=1), nn.Dropout(dropout),
                mlpconv(192, (192, 192, num_classes), 3, padding=1),
            )
        else:
            raise ValueError(f"config must be imagenet or small, not {config!r}")
        self.gap = nn.AdaptiveAvgPool2d(1)

    def forward(self, x: Tensor) -> Tensor:
        return self.gap(self.features(x)).flatten(1)
