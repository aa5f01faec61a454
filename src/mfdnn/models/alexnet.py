"""AlexNet (Krizhevsky, Sutskever and Hinton 2012) and the course's variants.

* :class:`AlexNetPaper`: the paper's ImageNet network, 3 x 227 x 227, with local response
  normalisation and the two-GPU split (``groups=2`` in conv2, conv4, conv5): 60,965,224
  parameters.

      conv 11x11/4, 96 -> LRN -> max-pool 3/2 -> conv 5x5 p2, 256 -> LRN -> max-pool
      -> conv 3x3 p1, 384 -> 384 -> 256 -> max-pool -> (dropout, FC 4096) x 2 -> FC 1000

* :class:`AlexNet`: the torchvision-style variant (HW7 P2): 64/192/384/256/256 channels,
  no LRN, no split, adaptive 6 x 6 average pooling: 61,100,840 parameters (as
  torchvision's ``alexnet``, whose module names it keeps). ``first_padding=0`` on a
  227 x 227 input is the homework's form; torchvision pads by 2 on 224 x 224. Both give
  55 x 55 after conv1, so the counts are the same.
* :class:`AlexNetSmall`: the course's small-image AlexNet. On 3 x 32 x 32 (CIFAR-10) it is
  the chapter's network (about 58 M parameters); with ``hidden=(800,)`` on 1 x 28 x 28 it is
  HW5's memorisation network (:func:`alexnet_memorization`).

      conv 4x4, 96 -> conv 3x3, 96 -> conv 5x5 p2, 256 -> max-pool 3/2
      -> conv 3x3 p1, 384 -> 384 -> 256 -> max-pool 3/2 -> (dropout, FC, ReLU) per hidden -> FC
"""

from __future__ import annotations

from torch import Tensor, nn

from mfdnn.analysis.sizes import conv_output_size


class AlexNet(nn.Module):
    """torchvision-style AlexNet (HW7 P2); ``features``, ``avgpool``, ``classifier``."""

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, first_padding: int = 2,
                 dropout: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 64, 11, stride=4, padding=first_padding), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d(6)
        self.classifier = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.avgpool(self.features(x)).flatten(1))


class AlexNetPaper(nn.Module):
    """The 2012 network: LRN after conv1 and conv2, the two-GPU split as ``groups``."""

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, groups: int = 2,
                 dropout: float = 0.5) -> None:
        super().__init__()

        def lrn() -> nn.Module:  # the paper's k = 2, n = 5, alpha = 1e-4, beta = 0.75
            return nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)

        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 96, 11, stride=4), nn.ReLU(inplace=True), lrn(),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(96, 256, 5, padding=2, groups=groups), nn.ReLU(inplace=True), lrn(),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 384, 3, padding=1, groups=groups), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, 3, padding=1, groups=groups), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2),
        )
        self.classifier = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x).flatten(1))


class AlexNetSmall(nn.Module):
    """The course's AlexNet for 28 x 28 / 32 x 32 images; ``width`` scales every layer."""

    def __init__(self, num_classes: int = 10, in_channels: int = 3, image_size: int = 32,
                 hidden: tuple[int, ...] = (4096, 4096), width: float = 1.0,
                 dropout: float = 0.5) -> None:
        super().__init__()
        c1, c3, c4, c5 = (max(1, round(c * width)) for c in (96, 256, 384, 256))
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, 4), nn.ReLU(inplace=True),
            nn.Conv2d(c1, c1, 3), nn.ReLU(inplace=True),
            nn.Conv2d(c1, c3, 5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(c3, c4, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(c4, c4, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(c4, c5, 3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2),
        )
        side = image_size - 3 - 2  # conv 4x4, conv 3x3; the 5x5 conv keeps the size
        side = conv_output_size(conv_output_size(side, 3, 2), 3, 2)  # the two pools
        layers: list[nn.Module] = []
        features = c5 * side * side
        for h in hidden:
            layers += [nn.Dropout(dropout), nn.Linear(features, h), nn.ReLU(inplace=True)]
            features = h
        self.classifier = nn.Sequential(*layers, nn.Linear(features, num_classes))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x).flatten(1))


def alexnet_memorization(width: float = 1.0) -> AlexNetSmall:
    """HW5 P6's network on 1 x 28 x 28: 6,400 -> dropout -> 800 -> 10 at ``width=1``."""
    return AlexNetSmall(10, 1, 28, hidden=(max(1, round(800 * width)),), width=width)
