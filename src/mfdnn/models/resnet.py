"""ResNet (He et al. 2016): residual blocks, in three versions, and the CIFAR ResNets.

A residual block computes out = ReLU(x + F(x)) (v1). With F's weights at zero it is the
identity on x >= 0, so a deeper ResNet contains the shallower one (Chapter 3c, "nesting").

* *Basic block* (ResNet-18/34): F = BN(conv3x3(ReLU(BN(conv3x3(x))))).
* *Bottleneck* (ResNet-50): 1x1 reduce -> 3x3 -> 1x1 restore (x4 channels).
* A block that changes the size uses stride 2 and a 1x1 stride-2 projection (conv + BN) on
  the shortcut.
* ``version="v1"``: the stride of a downsampling bottleneck sits on its first 1 x 1 conv (the
  paper); ``"v1.5"`` moves it to the 3 x 3 conv (torchvision's ``resnet50``: a 1 x 1 conv at
  stride 2 ignores 75% of its input). The parameter counts are the same; the multiply-adds
  are not. Basic blocks are the same in both.
* ``version="v2"`` (pre-activation, He et al. 2016b): BN -> ReLU -> conv inside F, nothing
  after the addition, out = x + F(x); the shortcut projection reads the pre-activated input;
  a final BN -> ReLU precedes the pooling, and the stem has no BN.

Stems: ``imagenet`` is conv 7x7/2 (64) -> BN -> ReLU -> max-pool 3/2 (torchvision's module
names are kept: resnet18 has 11,689,512 parameters, resnet34 21,797,672, resnet50
25,557,032); ``small`` is conv 3x3/1 -> BN -> ReLU without the max-pool, the usual port to
32 x 32 images. ``groups`` and ``width_per_group`` make ResNeXt's bottleneck
(``resnext.py``), ``attention`` inserts a channel gate before the addition (SENet,
``senet.py``).

:func:`cifar_resnet` is He et al.'s CIFAR network: conv3x3 16 -> three stages of n basic
blocks at 16/32/64 channels -> global average pool -> FC; depth 6n + 2. With 1 x 1 projection
shortcuts ResNet-20/32/44/56 have 272,474 / 466,906 / 661,338 / 855,770 parameters.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import Tensor, nn

Attention = Callable[[int], nn.Module]  # channels -> a module x -> gate(x) * x
VERSIONS = ("v1", "v1.5", "v2")


def conv3x3(in_channels: int, out_channels: int, stride: int = 1, groups: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, 3, stride, padding=1, groups=groups, bias=False)


def conv1x1(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, 1, stride, bias=False)


class BasicBlock(nn.Module):
    """v1 basic block: ReLU(x + BN(conv(ReLU(BN(conv(x)))))); a projection when it resizes."""

    expansion = 1

    def __init__(self, in_channels: int, planes: int, stride: int = 1, *, version: str = "v1",
                 groups: int = 1, width_per_group: int = 64,
                 attention: Attention | None = None) -> None:
        super().__init__()
        if groups != 1 or width_per_group != 64:
            raise ValueError("basic blocks have no groups; use a bottleneck")
        self.conv1 = conv3x3(in_channels, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.attention = attention(planes) if attention else None
        self.downsample = None
        if stride != 1 or in_channels != planes:
            self.downsample = nn.Sequential(conv1x1(in_channels, planes, stride),
                                            nn.BatchNorm2d(planes))

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.attention is not None:
            out = self.attention(out)
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)


class Bottleneck(nn.Module):
    """v1 / v1.5 bottleneck: 1x1 -> 3x3 (grouped for ResNeXt) -> 1x1 (x4), + shortcut, ReLU."""

    expansion = 4

    def __init__(self, in_channels: int, planes: int, stride: int = 1, *, version: str = "v1.5",
                 groups: int = 1, width_per_group: int = 64,
                 attention: Attention | None = None) -> None:
        super().__init__()
        width = int(planes * width_per_group / 64) * groups  # ResNeXt: cardinality x d
        out_channels = planes * self.expansion
        stride1, stride2 = (stride, 1) if version == "v1" else (1, stride)
        self.conv1 = conv1x1(in_channels, width, stride1)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width, stride2, groups)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, out_channels)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.attention = attention(out_channels) if attention else None
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(conv1x1(in_channels, out_channels, stride),
                                            nn.BatchNorm2d(out_channels))

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.attention is not None:
            out = self.attention(out)
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)


class PreActBasicBlock(nn.Module):
    """v2 basic block: x + conv(ReLU(BN(conv(ReLU(BN(x))))))."""

    expansion = 1

    def __init__(self, in_channels: int, planes: int, stride: int = 1, *, version: str = "v2",
                 groups: int = 1, width_per_group: int = 64,
                 attention: Attention | None = None) -> None:
        super().__init__()
        if groups != 1 or width_per_group != 64:
            raise ValueError("basic blocks have no groups; use a bottleneck")
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = conv3x3(in_channels, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes)
        self.relu = nn.ReLU()
        self.attention = attention(planes) if attention else None
        self.downsample = None
        if stride != 1 or in_channels != planes:
            self.downsample = conv1x1(in_channels, planes, stride)

    def forward(self, x: Tensor) -> Tensor:
        pre = self.relu(self.bn1(x))
        shortcut = x if self.downsample is None else self.downsample(pre)
        out = self.conv2(self.relu(self.bn2(self.conv1(pre))))
        if self.attention is not None:
            out = self.attention(out)
        return out + shortcut


class PreActBottleneck(nn.Module):
    """v2 bottleneck: x + conv1x1(ReLU(BN(conv3x3(ReLU(BN(conv1x1(ReLU(BN(x))))))))."""

    expansion = 4

    def __init__(self, in_channels: int, planes: int, stride: int = 1, *, version: str = "v2",
                 groups: int = 1, width_per_group: int = 64,
                 attention: Attention | None = None) -> None:
        super().__init__()
        width = int(planes * width_per_group / 64) * groups
        out_channels = planes * self.expansion
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = conv1x1(in_channels, width)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width, stride, groups)
        self.bn3 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, out_channels)
        self.relu = nn.ReLU()
        self.attention = attention(out_channels) if attention else None
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = conv1x1(in_channels, out_channels, stride)

    def forward(self, x: Tensor) -> Tensor:
        pre = self.relu(self.bn1(x))
        shortcut = x if self.downsample is None else self.downsample(pre)
        out = self.conv1(pre)
        out = self.conv2(self.relu(self.bn2(out)))
        out = self.conv3(self.relu(self.bn3(out)))
        if self.attention is not None:
            out = self.attention(out)
        return out + shortcut


def block_class(kind: str, version: str) -> type[nn.Module]:
    """``kind`` is ``basic`` or ``bottleneck``; ``version`` one of v1, v1.5, v2."""
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {', '.join(VERSIONS)}, not {version!r}")
    if kind == "basic":
        return PreActBasicBlock if version == "v2" else BasicBlock
    if kind == "bottleneck":
        return PreActBottleneck if version == "v2" else Bottleneck
    raise ValueError(f"block must be basic or bottleneck, not {kind!r}")


class ResNet(nn.Module):
    """A stem, stages of residual blocks (stride 2 at the start of every stage but the
    first), global average pooling and one linear layer."""

    def __init__(self, block: str, layers: tuple[int, ...], *, num_classes: int = 1000,
                 in_channels: int = 3, widths: tuple[int, ...] = (64, 128, 256, 512),
                 stem: str = "imagenet", version: str = "v1.5", groups: int = 1,
                 width_per_group: int = 64, attention: Attention | None = None) -> None:
        super().__init__()
        block_cls = block_class(block, version)
        preact = version == "v2"
        if stem == "imagenet":
            self.conv1 = nn.Conv2d(in_channels, widths[0], 7, 2, padding=3, bias=False)
            self.maxpool: nn.Module = nn.MaxPool2d(3, 2, padding=1)
        elif stem == "small":
            self.conv1 = conv3x3(in_channels, widths[0])
            self.maxpool = nn.Identity()
        else:
            raise ValueError(f"stem must be imagenet or small, not {stem!r}")
        self.bn1 = nn.Identity() if preact else nn.BatchNorm2d(widths[0])
        self.relu = nn.Identity() if preact else nn.ReLU(inplace=True)
        channels = widths[0]
        kw = dict(version=version, groups=groups, width_per_group=width_per_group,
                  attention=attention)
        for i, (planes, n) in enumerate(zip(widths, layers, strict=True)):
            blocks = []
            for j in range(n):
                stride = 2 if i > 0 and j == 0 else 1
                blocks.append(block_cls(channels, planes, stride, **kw))
                channels = planes * block_cls.expansion
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.num_stages = len(layers)
        # v2 ends with BN -> ReLU before the pooling (the last block's output is not normalised)
        self.final = (nn.Sequential(nn.BatchNorm2d(channels), nn.ReLU(inplace=True))
                      if preact else nn.Identity())
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(self.num_stages):
            x = getattr(self, f"layer{i + 1}")(x)
        return self.fc(self.avgpool(self.final(x)).flatten(1))


DEPTHS: dict[int, tuple[str, tuple[int, ...]]] = {
    18: ("basic", (2, 2, 2, 2)),
    34: ("basic", (3, 4, 6, 3)),
    50: ("bottleneck", (3, 4, 6, 3)),
    101: ("bottleneck", (3, 4, 23, 3)),
    152: ("bottleneck", (3, 8, 36, 3)),
}


def resnet(depth: int, *, num_classes: int = 1000, in_channels: int = 3, stem: str = "imagenet",
           version: str = "v1.5", **kwargs) -> ResNet:
    """ResNet-18/34/50/101/152."""
    if depth not in DEPTHS:
        raise ValueError(f"ResNet depth must be one of {sorted(DEPTHS)}, not {depth}")
    block, layers = DEPTHS[depth]
    return ResNet(block, layers, num_classes=num_classes, in_channels=in_channels, stem=stem,
                  version=version, **kwargs)


def cifar_resnet(depth: int, *, num_classes: int = 10, in_channels: int = 3,
                 version: str = "v1", attention: Attention | None = None) -> ResNet:
    """He et al.'s CIFAR ResNet-``depth`` (depth = 6n + 2): 16/32/64 channels, n blocks each."""
    if (depth - 2) % 6 or depth < 8:
        raise ValueError(f"a CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110), not {depth}")
    n = (depth - 2) // 6
    return ResNet("basic", (n, n, n), num_classes=num_classes, in_channels=in_channels,
                  widths=(16, 32, 64), stem="small", version=version, attention=attention)
