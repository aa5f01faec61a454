"""The one contract every zoo network passes (STYLE.md 5): output shape, parameter count
against the published figure or the hand formula, and a few steps reduce the loss.

ImageNet configurations are checked on the ``meta`` device (shapes only, no arithmetic), so
even VGG-19 costs nothing; training steps run on the small configurations, 1 x 28 x 28, or
the smallest input a network with global average pooling accepts (it has no fixed size).
"""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from mfdnn.analysis import conv2d_params, count_parameters, linear_params
from mfdnn.errors import ConfigError
from mfdnn.models import zoo
from mfdnn.models.lenet import MaskedC3

pytestmark = [pytest.mark.hw5, pytest.mark.hw6, pytest.mark.hw7]


def formula_count(model: nn.Module) -> int:
    """Sum of the hand formulas over the layers, from their hyperparameters only."""
    total = 0
    for m in model.modules():
        if isinstance(m, MaskedC3):
            total += int(m.mask.sum()) * 25 + 16
        elif isinstance(m, nn.Conv2d):
            total += conv2d_params(m.in_channels, m.out_channels, m.kernel_size, m.groups,
                                   m.bias is not None)
        elif isinstance(m, nn.Linear):
            total += linear_params(m.in_features, m.out_features, m.bias is not None)
        elif isinstance(m, nn.BatchNorm1d | nn.BatchNorm2d):
            total += 2 * m.num_features
        else:
            assert not list(m.parameters(recurse=False)), f"uncounted parameters in {m}"
    return total


@pytest.mark.parametrize("name", zoo.names("imagenet"))
def test_imagenet_configuration(name):
    with torch.device("meta"):
        model = zoo.build(name, "imagenet", init="default")
        out = model(torch.zeros(2, *zoo.input_shape(name, "imagenet")))
    assert out.shape == (2, 1000)
    count = count_parameters(model)
    assert count == formula_count(model)
    published = zoo.PUBLISHED.get((name, "imagenet", 3, 1000))
    if published:
        assert count == published[0], published[1]


@pytest.mark.parametrize("name", zoo.names("small"))
def test_small_configuration_counts(name):
    for channels in (1, 3):
        with torch.device("meta"):
            model = zoo.build(name, "small", in_channels=channels, init="default")
            out = model(torch.zeros(2, *zoo.input_shape(name, "small", channels)))
        assert out.shape == (2, 10)
        assert count_parameters(model) == formula_count(model)
        published = zoo.PUBLISHED.get((name, "small", channels, 10))
        if published:
            assert count_parameters(model) == published[0], published[1]


# networks ending in global average pooling take any size; these sizes keep the test cheap
SMALLEST = {"nin": 8, "resnet": 8, "resnext": 8, "senet": 8, "densenet": 8, "googlenet": 12}


def _loss(model, x, y):
    torch.manual_seed(1)  # the same dropout masks before and after
    return F.cross_entropy(model(x), y)


@pytest.mark.parametrize("name", zoo.names("small"))
def test_a_few_steps_reduce_the_loss(name):
    torch.manual_seed(0)
    model = zoo.build(name, "small", in_channels=1)
    size = SMALLEST.get(zoo.entry(name).family, 28)
    x, y = torch.rand(4, 1, size, size), torch.tensor([0, 1, 2, 3])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    first = _loss(model, x, y).item()
    for _ in range(3):
        optimizer.zero_grad()
        _loss(model, x, y).backward()
        optimizer.step()
    assert _loss(model, x, y).item() < first


def test_bad_names_and_configs_are_config_errors():
    with pytest.raises(ConfigError, match="resnet18"):
        zoo.build("resnet19")
    with pytest.raises(ConfigError, match="small"):
        zoo.build("lenet5", "imagenet")
    with pytest.raises(ConfigError, match="init"):
        zoo.build("resnet20", "small", init="magic")


def test_course_init_of_vgg13_cifar_is_kaiming_fan_out():
    torch.manual_seed(0)
    model = zoo.build("vgg13_cifar", "small")
    conv = model.features[2]  # 64 -> 64, 3 x 3: fan_out = 64 * 9
    assert conv.weight.std().item() == pytest.approx((2 / (64 * 9)) ** 0.5, rel=0.05)
    assert conv.bias.abs().max() == 0
