"""Output-size and receptive-field formulas against PyTorch and against autograd."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from mfdnn.analysis import (
    conv_output_size,
    input_support,
    input_window,
    receptive_field,
    support_box,
)

pytestmark = pytest.mark.hw5


def test_chapter_3a_examples():
    assert conv_output_size(7, 5) == 3
    assert conv_output_size(7, 5, padding=2) == 7
    assert conv_output_size(7, 3) == 5
    assert conv_output_size(7, 3, stride=2) == 3


@settings(max_examples=40, deadline=None)
@given(size=st.integers(4, 20), k=st.integers(1, 4), stride=st.integers(1, 3),
       padding=st.integers(0, 1), dilation=st.integers(1, 2), ceil=st.booleans())
def test_output_size_matches_pytorch(size, k, stride, padding, dilation, ceil):
    if padding > k // 2 or dilation * (k - 1) + 1 > size + 2 * padding:
        return
    x = torch.zeros(1, 1, size, size)
    conv = nn.Conv2d(1, 1, k, stride, padding, dilation)
    assert conv(x).shape[-1] == conv_output_size(size, k, stride, padding, dilation)
    pool = nn.MaxPool2d(k, stride, padding, dilation, ceil_mode=ceil)
    assert pool(x).shape[-1] == conv_output_size(size, k, stride, padding, dilation, ceil)


@settings(max_examples=15, deadline=None)
@given(layers=st.lists(st.tuples(st.sampled_from(["conv", "max", "avg"]), st.integers(1, 3),
                                 st.integers(1, 2), st.integers(0, 1)),
                       min_size=1, max_size=4))
def test_receptive_field_equals_the_gradient_support(layers):
    modules = []
    for kind, k, stride, padding in layers:
        padding = min(padding, k // 2)
        if kind == "conv":
            modules += [nn.Conv2d(2, 2, k, stride, padding), nn.ReLU()]
        elif kind == "max":
            modules.append(nn.MaxPool2d(k, stride, padding))
        else:
            modules.append(nn.AvgPool2d(k, stride, padding))
    model = nn.Sequential(nn.Conv2d(2, 2, 1), *modules)
    size = 64  # four stride-2 layers of kernel 3 still leave 3 x 3 (24 left 2 x 2: an error)
    out = model(torch.zeros(1, 2, size, size)).shape[-1]
    field = receptive_field(model)
    for i in {0, out // 2, out - 1}:
        lo, hi = input_window(model, i, size)
        box = support_box(input_support(model, (2, size, size), (0, i, i)))
        assert box == (lo, hi, lo, hi)
        assert hi - lo + 1 <= field.size  # the border can only cut the field


def test_max_pool_gradient_alone_would_hide_part_of_the_field():
    model = nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool2d(2))
    x = torch.rand(1, 1, 8, 8, requires_grad=True)
    (grad,) = torch.autograd.grad(model(x)[0, 0, 1, 1], x)
    assert (grad != 0).sum() <= 9  # one window of the max: 3 x 3, not the 4 x 4 field
    assert receptive_field(model).size == 4
    assert input_support(model, (1, 8, 8), (0, 1, 1)).sum() == 16
