"""VGG (Simonyan and Zisserman 2015): only 3 x 3 convolutions (padding 1) and 2 x 2 max-pools.

Configurations A, B, D, E of the paper are VGG-11, -13, -16 and -19 (numbers are output
channels, ``M`` a max-pool). The ImageNet networks end with an adaptive 7 x 7 average pool
(the identity at 224 x 224, as in torchvision, whose module names are kept) and
FC 25088 -> 4096 -> 4096 -> 1000 with ReLU and dropout 0.5: 132,863,336 / 133,047,848 /
138,357,544 / 143,667,240 parameters.

The small-image networks keep the first four blocks (four pools: 32 -> 2, 28 -> 1) and
FC 512 s^2 -> 4096 -> 4096 -> classes. The first four blocks of VGG-16 are the course's
"VGG13-CIFAR10" (10 convolutions + 3 FC = 13 layers; 32,850,250 parameters on CIFAR-10),
which the zoo also names ``vgg13_cifar``. The course trains it with Kaiming-normal conv
init (``mfdnn.nn.init``) or BatchNorm (``batch_norm=True``, one after every convolution).
"""

from __future__ import annotations

from torch import Tensor, nn

CONFIGS: dict[int, tuple[int | str, ...]] = {
    11: (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    13: (64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    16: (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
         512, 512, 512, "M"),
    19: (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
         512, 512, 512, 512, "M"),
}


def first_blocks(config: tuple[int | str, ...], blocks: int) -> tuple[int | str, ...]:
    """The layers of ``config`` up to and including its ``blocks``-th max-pool."""
    pools = [i for i, v in enumerate(config) if v == "M"]
    return config[: pools[blocks - 1] + 1]


def make_features(config: tuple[int | str, ...], in_channels: int,
                  batch_norm: bool = False) -> nn.Sequential:
    layers: list[nn.Module] = []
    for v in config:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
            continue
        layers.append(nn.Conv2d(in_channels, int(v), 3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(int(v)))
        layers.append(nn.ReLU(inplace=True))
        in_channels = int(v)
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """VGG-``depth``; ``blocks=5, pool_to=7`` is ImageNet's, ``blocks=4, pool_to=None`` small."""

    def __init__(self, depth: int = 16, num_classes: int = 1000, in_channels: int = 3,
                 image_size: int = 224, blocks: int = 5, pool_to: int | None = 7,
                 batch_norm: bool = False, hidden: int = 4096, dropout: float = 0.5) -> None:
        super().__init__()
        if depth not in CONFIGS:
            raise ValueError(f"VGG depth must be one of {sorted(CONFIGS)}, not {depth}")
        config = first_blocks(CONFIGS[depth], blocks)
        self.features = make_features(config, in_channels, batch_norm)
        channels = [v for v in config if v != "M"][-1]
        side = pool_to if pool_to is not None else image_size // 2**blocks
        if side < 1:
            raise ValueError(f"{blocks} pools of 2 leave nothing of a {image_size}-pixel image")
        self.avgpool = nn.AdaptiveAvgPool2d(pool_to) if pool_to is not None else nn.Identity()
        self.classifier = nn.Sequential(
            nn.Linear(int(channels) * side * side, hidden), nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden), nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.avgpool(self.features(x)).flatten(1))

