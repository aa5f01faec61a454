"""Inception counts (HW5 P5), the course's AlexNet variants, LeNet-5's styles."""

import pytest
import torch

from mfdnn.analysis import count_activations, count_macs, count_parameters
from mfdnn.models.alexnet import AlexNet, AlexNetSmall, alexnet_memorization
from mfdnn.models.googlenet import (
    GoogLeNet,
    Inception,
    NaiveInception,
    bottleneck_convs,
    inception_cost,
    naive_convs,
)
from mfdnn.models.lenet import LeNet5, lenet5_param_count

pytestmark = [pytest.mark.hw4, pytest.mark.hw5]


def test_inception_hand_counts_match_the_modules():
    spec_naive, spec_bottleneck = (128, 192, 96), (128, 64, 192, 64, 96, 64)
    with torch.device("meta"):
        naive, bottleneck = NaiveInception(256, *spec_naive), Inception(256, *spec_bottleneck)
    for module, convs in ((naive, naive_convs(256, *spec_naive)),
                          (bottleneck, bottleneck_convs(256, *spec_bottleneck))):
        hand = inception_cost(256, (32, 32), convs)
        assert hand["params"] == count_parameters(module)
        assert hand["mults"] == count_macs(module, (256, 32, 32))
        assert hand["activations"] == count_activations(module, (256, 32, 32))
    assert naive.out_channels == 672 and bottleneck.out_channels == 480


def test_googlenet_variants():
    with torch.device("meta"):
        assert count_parameters(GoogLeNet()) == 6_998_552
        assert count_parameters(GoogLeNet(torchvision=True)) == 6_624_904
        assert count_parameters(GoogLeNet(10, config="small")) == 6_180_410


def test_memorisation_network_is_hw5s():
    model = alexnet_memorization()
    hand = (96 * 16 + 96) + (96 * 96 * 9 + 96) + (256 * 96 * 25 + 256) + (384 * 256 * 9 + 384) \
        + (384 * 384 * 9 + 384) + (256 * 384 * 9 + 256) + (6400 * 800 + 800) + (800 * 10 + 10)
    assert count_parameters(model) == hand
    x = torch.zeros(1, 1, 28, 28)
    assert model.features(x).shape == (1, 256, 5, 5)
    assert model.classifier[1].in_features == 6400


def test_cifar_alexnet_flattens_9216_and_torchvision_style_at_227():
    assert AlexNetSmall().classifier[1].in_features == 9216
    with torch.device("meta"):
        hw7 = AlexNet(first_padding=0)
        assert hw7.features(torch.zeros(1, 3, 227, 227)).shape == (1, 256, 6, 6)


def test_lenet_defaults_are_the_homeworks_network():
    model = LeNet5()
    assert model.style == "classic" and model.dropout == 0
    assert count_parameters(model) == lenet5_param_count("sparse")


def test_modern_lenet_and_colour_input():
    torch.manual_seed(0)
    modern = LeNet5("full", style="modern")
    assert modern(torch.rand(2, 1, 28, 28)).shape == (2, 10)
    assert isinstance(modern.s2, torch.nn.MaxPool2d)
    colour = LeNet5("full", in_channels=3, image_size=32)  # no padding: 32 -> 28 -> ... -> 5
    assert colour.c1.padding == (0, 0) and colour.c5.in_features == 400
    assert colour(torch.rand(2, 3, 32, 32)).shape == (2, 10)


def test_lenet_dropout_only_draws_when_asked():
    torch.manual_seed(0)
    model, x = LeNet5("full").train(), torch.rand(2, 1, 28, 28)
    state = torch.get_rng_state()
    model(x)
    assert torch.equal(torch.get_rng_state(), state)  # p = 0: no draws, the hw4 stream is kept
    model.dropout = 0.5
    model(x)
    assert not torch.equal(torch.get_rng_state(), state)
