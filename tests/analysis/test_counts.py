"""Parameter and multiply-add counts against the hand formulas of Chapter 3a / HW7 P2."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from mfdnn.analysis import (
    conv2d_macs,
    conv2d_params,
    count_activations,
    count_macs,
    count_parameters,
    layer_costs,
    linear_macs,
    linear_params,
    macs_by_kind,
    parameters_by_kind,
)
from mfdnn.analysis.sizes import conv_output_size
from mfdnn.models.lenet import LeNet5
from mfdnn.models.vgg import CONFIGS, VGG

pytestmark = [pytest.mark.hw5, pytest.mark.hw7]


@settings(max_examples=25, deadline=None)
@given(c_in=st.integers(1, 8), c_out=st.integers(1, 8), k=st.integers(1, 5),
       stride=st.integers(1, 3), padding=st.integers(0, 2), groups=st.sampled_from([1, 2]),
       bias=st.booleans(), size=st.integers(5, 12))
def test_conv_counts_are_the_formulas(c_in, c_out, k, stride, padding, groups, bias, size):
    c_in, c_out = c_in * groups, c_out * groups
    conv = nn.Conv2d(c_in, c_out, k, stride, padding, groups=groups, bias=bias)
    assert count_parameters(conv) == conv2d_params(c_in, c_out, k, groups, bias)
    assert count_parameters(conv) == sum(p.numel() for p in conv.parameters())
    out = conv_output_size(size, k, stride, padding)
    assert count_macs(conv, (c_in, size, size)) == conv2d_macs(c_in, c_out, k, out, out, groups)


def test_linear_counts_and_the_1x1_conv_of_chapter_3a():
    assert count_parameters(nn.Linear(784, 10)) == linear_params(784, 10) == 7850
    assert count_macs(nn.Linear(784, 10), (784,)) == linear_macs(784, 10) == 7840
    assert count_parameters(nn.Conv2d(192, 96, 1)) == 18_528  # the chapter's 1x1 example


def test_masked_weights_count_their_free_entries_only():
    model = LeNet5("masked")
    costs = {c.name: c for c in layer_costs(model, (1, 28, 28))}
    # 60 connections of 5x5 kernels at 10x10 outputs; the dense C3 has 96
    assert costs["c3"].macs == 60 * 25 * 10 * 10
    assert costs["c3"].params == 60 * 25 + 16
    assert count_macs(model, (1, 28, 28)) == count_macs(LeNet5("sparse"), (1, 28, 28))


def vgg_hand_macs(depth, size=224):
    """sum over convs of H W C_out C_in 9, the sizes halving at every pool; then the FCs."""
    total, c_in = 0, 3
    for v in CONFIGS[depth]:
        if v == "M":
            size //= 2
        else:
            total += size * size * v * c_in * 9
            c_in = v
    return total + 25088 * 4096 + 4096 * 4096 + 4096 * 1000


@pytest.mark.parametrize("depth", [11, 16, 19])
def test_vgg_macs_on_the_meta_device_equal_the_hand_count(depth):
    with torch.device("meta"):
        model = VGG(depth)
    assert count_macs(model, (3, 224, 224)) == vgg_hand_macs(depth)


def test_vgg19_parameter_shares_of_chapter_3c():
    with torch.device("meta"):
        kinds = parameters_by_kind(VGG(19))
    assert kinds == {"conv": 20_024_384, "linear": 123_642_856, "other": 0}


def test_meta_and_real_tensors_count_alike():
    torch.manual_seed(0)
    real = VGG(11, num_classes=10, image_size=32, blocks=4, pool_to=None)
    with torch.device("meta"):
        meta = VGG(11, num_classes=10, image_size=32, blocks=4, pool_to=None)
    assert layer_costs(real, (3, 32, 32)) == layer_costs(meta, (3, 32, 32))
    assert macs_by_kind(layer_costs(meta, (3, 32, 32)))["linear"] == 2048 * 4096 + 4096**2 + 40960


def test_activation_count_is_the_relu_outputs():
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 5, 3), nn.ReLU())
    assert count_activations(model, (3, 8, 8)) == 4 * 8 * 8 + 5 * 2 * 2
