"""The model zoo: every architecture of Chapter 3 by name, in two configurations.

    build("resnet18")                                   # ImageNet: 3 x 224 x 224, 1000 classes
    build("resnet18", "small", in_channels=1)           # 1 x 28 x 28, 10 classes
    build("resnet50", version="v1")                     # extra arguments go to the family

``imagenet`` is the paper's ImageNet network (3 x 224 x 224, or 227 for the paper's
AlexNet); ``small`` is the course's (or the usual) version for small images: 1 x 28 x 28
when ``in_channels`` is 1 (MNIST), 3 x 32 x 32 otherwise (CIFAR-10), 10 classes.
:data:`PUBLISHED` lists published parameter counts (torchvision's, the papers', the
course's) that the tests compare with, and :func:`input_shape` the input of each.

``init="course"`` (the default) applies the initialisation the course uses for that
network where it names one (Kaiming-normal convs for VGG13-CIFAR10, Xavier-uniform for
GoogLeNet-CIFAR10) and PyTorch's default otherwise; any scheme of :mod:`mfdnn.nn.init`
(``he``, ``xavier``, ...) or ``default`` overrides it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from torch import nn

from mfdnn.errors import ConfigError
from mfdnn.models.alexnet import AlexNet, AlexNetPaper, AlexNetSmall
from mfdnn.models.densenet import DenseNet
from mfdnn.models.googlenet import GoogLeNet
from mfdnn.models.lenet import LeNet5
from mfdnn.models.lenet_fast import LeNet5Fast
from mfdnn.models.nin import NiN
from mfdnn.models.resnet import cifar_resnet, resnet
from mfdnn.models.resnext import resnext
from mfdnn.models.senet import se_cifar_resnet, se_resnet
from mfdnn.models.vgg import VGG
from mfdnn.nn.init import SCHEMES, init_model

CONFIGS = ("imagenet", "small")
Builder = Callable[..., nn.Module]  # (in_channels, num_classes, image_size, **kwargs)


@dataclass(frozen=True)
class Entry:
    name: str
    family: str
    builders: dict[str, Builder]
    imagenet_size: int = 224
    course_init: dict[str, tuple[str, tuple[type, ...]]] = field(default_factory=dict)


def _vgg(depth: int) -> dict[str, Builder]:
    return {
        "imagenet": lambda c, n, s, **kw: VGG(depth, n, c, s, **kw),
        "small": lambda c, n, s, **kw: VGG(depth, n, c, s, blocks=4, pool_to=None, **kw),
    }


def _resnet(depth: int, make: Callable[..., nn.Module] = resnet) -> dict[str, Builder]:
    return {
        "imagenet": lambda c, n, s, **kw: make(depth, num_classes=n, in_channels=c, **kw),
        "small": lambda c, n, s, **kw: make(depth, num_classes=n, in_channels=c, stem="small",
                                            **kw),
    }


def _cifar_resnet(depth: int, make: Callable[..., nn.Module] = cifar_resnet
                  ) -> dict[str, Builder]:
    return {"small": lambda c, n, s, **kw: make(depth, num_classes=n, in_channels=c, **kw)}


_ENTRIES = [
    Entry("lenet5", "lenet", {
        "small": lambda c, n, s, **kw: LeNet5(kw.pop("c3", "full"), in_channels=c,
                                              num_classes=n, image_size=s, **kw)}),
    Entry("lenet5_fast", "lenet", {
        "small": lambda c, n, s, **kw: LeNet5Fast(c, n, s, **kw)}),
    Entry("lenet5_modern", "lenet", {
        "small": lambda c, n, s, **kw: LeNet5(kw.pop("c3", "full"), style="modern",
                                              in_channels=c, num_classes=n, image_size=s,
                                              **kw)}),
    Entry("alexnet", "alexnet", {
        "imagenet": lambda c, n, s, **kw: AlexNet(n, c, **kw),
        "small": lambda c, n, s, **kw: AlexNetSmall(n, c, s, **kw)}),
    Entry("alexnet_paper", "alexnet", {
        "imagenet": lambda c, n, s, **kw: AlexNetPaper(n, c, **kw)}, imagenet_size=227),
    *(Entry(f"vgg{d}", "vgg", _vgg(d)) for d in (11, 13, 16, 19)),
    Entry("vgg13_cifar", "vgg", {"small": _vgg(16)["small"]},
          course_init={"small": ("he_fan_out", (nn.Conv2d,))}),
    Entry("nin", "nin", {
        "imagenet": lambda c, n, s, **kw: NiN(n, c, "imagenet", **kw),
        "small": lambda c, n, s, **kw: NiN(n, c, "small", **kw)}),
    Entry("googlenet", "googlenet", {
        "imagenet": lambda c, n, s, **kw: GoogLeNet(n, c, "imagenet", **kw),
        "small": lambda c, n, s, **kw: GoogLeNet(n, c, "small", **kw)},
        course_init={"small": ("xavier_uniform", (nn.Conv2d, nn.Linear))}),
    *(Entry(f"resnet{d}", "resnet", _resnet(d)) for d in (18, 34, 50)),
    *(Entry(f"resnet{d}", "resnet", _cifar_resnet(d)) for d in (20, 32, 44, 56)),
    Entry("resnext50_32x4d", "resnext", _resnet(50, resnext)),
    Entry("se_resnet50", "senet", _resnet(50, se_resnet)),
    Entry("se_resnet20", "senet", _cifar_resnet(20, se_cifar_resnet)),
    Entry("densenet121", "densenet", {
        "imagenet": lambda c, n, s, **kw: DenseNet(num_classes=n, in_channels=c, **kw),
        "small": lambda c, n, s, **kw: DenseNet(num_classes=n, in_channels=c, stem="small",
                                                **kw)}),
]
ZOO: dict[str, Entry] = {e.name: e for e in _ENTRIES}

# Published parameter counts: (name, config, in_channels, num_classes) -> (count, source).
PUBLISHED: dict[tuple[str, str, int, int], tuple[int, str]] = {
    ("alexnet", "imagenet", 3, 1000): (61_100_840, "torchvision alexnet"),
    ("alexnet_paper", "imagenet", 3, 1000): (60_965_224, "Krizhevsky et al. 2012 (2-GPU split)"),
    ("vgg11", "imagenet", 3, 1000): (132_863_336, "torchvision vgg11"),
    ("vgg13", "imagenet", 3, 1000): (133_047_848, "torchvision vgg13"),
    ("vgg16", "imagenet", 3, 1000): (138_357_544, "torchvision vgg16; course T1"),
    ("vgg19", "imagenet", 3, 1000): (143_667_240, "torchvision vgg19; course T1"),
    ("vgg13_cifar", "small", 3, 10): (32_850_250, "course T1, VGG13-CIFAR10"),
    ("nin", "small", 3, 10): (966_986, "course T1, NiN-CIFAR10"),
    ("googlenet", "small", 3, 10): (6_180_410, "course T1, GoogLeNet-CIFAR10"),
    ("resnet18", "imagenet", 3, 1000): (11_689_512, "torchvision resnet18; course T1"),
    ("resnet34", "imagenet", 3, 1000): (21_797_672, "torchvision resnet34; course T1"),
    ("resnet50", "imagenet", 3, 1000): (25_557_032, "torchvision resnet50"),
    ("resnet20", "small", 3, 10): (272_474, "course T1, CIFAR ResNet-20"),
    ("resnet32", "small", 3, 10): (466_906, "course T1, CIFAR ResNet-32"),
    ("resnet44", "small", 3, 10): (661_338, "course T1, CIFAR ResNet-44"),
    ("resnet56", "small", 3, 10): (855_770, "course T1, CIFAR ResNet-56"),
    ("resnet18", "small", 3, 10): (11_173_962, "the usual CIFAR ResNet-18 (3x3 stem, no pool)"),
    ("resnext50_32x4d", "imagenet", 3, 1000): (25_028_904, "torchvision resnext50_32x4d"),
    ("se_resnet50", "imagenet", 3, 1000): (28_088_024, "Hu et al. 2018, SE-ResNet-50 (28.1M)"),
    ("densenet121", "imagenet", 3, 1000): (7_978_856, "torchvision densenet121"),
}

# Variants whose count differs from the best-known published figure, and why.
DIFFERS: dict[str, str] = {
    "googlenet": "the paper's GoogLeNet (5x5 branches, conv biases, no BN) has 6,998,552 "
                 "parameters without auxiliary heads; torchvision's 6,624,904 uses BatchNorm "
                 "and 3x3 kernels in the '5x5' branches (build('googlenet', torchvision=True))",
}


def names(config: str | None = None) -> list[str]:
    """Every zoo name, or those available in ``config``."""
    return [n for n, e in ZOO.items() if config is None or config in e.builders]


def entry(name: str) -> Entry:
    if name not in ZOO:
        raise ConfigError(f"unknown model '{name}'; choose from {', '.join(ZOO)}")
    return ZOO[name]


def default_image_size(name: str, config: str, in_channels: int) -> int:
    """The input side: 224 (227) for ImageNet, 28 for 1-channel and 32 for colour images."""
    if config == "imagenet":
        return entry(name).imagenet_size
    return 28 if in_channels == 1 else 32


def input_shape(name: str, config: str = "imagenet", in_channels: int | None = None
                ) -> tuple[int, int, int]:
    c = in_channels if in_channels is not None else 3
    s = default_image_size(name, config, c)
    return c, s, s


def build(name: str, config: str = "imagenet", in_channels: int | None = None,
          num_classes: int | None = None, image_size: int | None = None, init: str = "course",
          **kwargs) -> nn.Module:
    """The zoo network ``name`` in ``config`` (``imagenet`` or ``small``); ``kwargs`` go to
    the family's constructor (``version="v1"``, ``batch_norm=True``, ``c3="sparse"``, ...)."""
    e = entry(name)
    if config not in CONFIGS:
        raise ConfigError(f"unknown zoo config '{config}'; choose from {', '.join(CONFIGS)}")
    if config not in e.builders:
        raise ConfigError(f"model '{name}' has no {config} configuration; it has "
                          f"{', '.join(e.builders)}")
    if init not in ("course", *SCHEMES):
        raise ConfigError(f"unknown init '{init}'; choose from course, {', '.join(SCHEMES)}")
    c = in_channels if in_channels is not None else 3
    n = num_classes if num_classes is not None else (1000 if config == "imagenet" else 10)
    s = image_size if image_size is not None else default_image_size(name, config, c)
    model = e.builders[config](c, n, s, **kwargs)
    if init == "course":
        if config in e.course_init:
            scheme, layers = e.course_init[config]
            init_model(model, scheme, layers=layers)
    else:
        init_model(model, init)
    return model
