"""The written-out BatchNorm equals torch's, in values, gradients and running statistics."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from mfdnn.nn.batchnorm import BatchNorm2d


def pair(channels, **kwargs):
    torch.manual_seed(0)
    ours, reference = BatchNorm2d(channels, **kwargs), nn.BatchNorm2d(channels, **kwargs)
    with torch.no_grad():  # non-trivial affine parameters, the same in both
        for p, q in zip(ours.parameters(), reference.parameters(), strict=True):
            p.copy_(torch.randn_like(p))
            q.copy_(p)
    return ours, reference


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 5), c=st.integers(1, 7), h=st.integers(1, 6), w=st.integers(1, 6),
       channels_last=st.booleans())
def test_training_steps_match_torch(n, c, h, w, channels_last):
    ours, reference = pair(c)
    g = torch.Generator().manual_seed(n * 100 + c)
    for _ in range(3):  # three batches: the running statistics accumulate
        x = torch.randn(n, c, h, w, generator=g, dtype=torch.float64) * 3 + 1
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        ours.double(), reference.double()
        xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
        ya, yb = ours(xa), reference(xb)
        torch.testing.assert_close(ya, yb)
        weights = torch.randn(ya.shape, generator=g, dtype=torch.float64)
        (ya * weights).sum().backward()
        (yb * weights).sum().backward()
        torch.testing.assert_close(xa.grad, xb.grad)
    torch.testing.assert_close(ours.weight.grad, reference.weight.grad)
    torch.testing.assert_close(ours.bias.grad, reference.bias.grad)
    torch.testing.assert_close(ours.running_mean, reference.running_mean)
    torch.testing.assert_close(ours.running_var, reference.running_var)  # unbiased
    assert ours.num_batches_tracked == reference.num_batches_tracked == 3
    ours.eval(), reference.eval()
    x = torch.randn(n, c, h, w, generator=g, dtype=torch.float64)
    torch.testing.assert_close(ours(x), reference(x))


def test_same_state_dict_and_fallbacks():
    ours, reference = pair(4)
    assert ours.state_dict().keys() == reference.state_dict().keys()
    reference.load_state_dict(ours.state_dict())
    for kwargs in (dict(momentum=None), dict(affine=False), dict(track_running_stats=False)):
        a, b = pair(3, **kwargs)
        x = torch.randn(4, 3, 5, 5)
        torch.testing.assert_close(a(x), b(x))


@pytest.mark.parametrize("size", [1, 4])
def test_eval_mode_is_the_affine_map_of_the_running_statistics(size):
    bn, _ = pair(2)
    bn.eval()
    x = torch.randn(3, 2, size, size)
    expected = (x - bn.running_mean.view(1, -1, 1, 1)) / torch.sqrt(
        bn.running_var.view(1, -1, 1, 1) + bn.eps) * bn.weight.view(1, -1, 1, 1) \
        + bn.bias.view(1, -1, 1, 1)
    torch.testing.assert_close(bn(x), expected)


def test_bf16_input_keeps_float32_statistics_like_torch():
    """Under bf16 autocast a convolution hands BatchNorm bf16: the statistics are still
    taken in float32 (the running buffers stay float32) and the output is bf16."""
    ours, reference = pair(3)
    x = (torch.randn(8, 3, 6, 6, generator=torch.Generator().manual_seed(1)) * 3 + 1)
    y = ours(x.bfloat16())
    assert y.dtype == torch.bfloat16 and ours.running_mean.dtype == torch.float32
    torch.testing.assert_close(y, reference(x.bfloat16()), atol=0.05, rtol=0.02)
    reference.running_mean.zero_(), reference.running_var.fill_(1)
    reference(x.bfloat16().float())  # torch's statistics of the same bf16 values, in float32
    torch.testing.assert_close(ours.running_mean, reference.running_mean)
    torch.testing.assert_close(ours.running_var, reference.running_var)
