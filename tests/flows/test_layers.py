"""Squeeze, flow BatchNorm, masks and the logit transform, beyond the shared contract."""

from __future__ import annotations

import math

import pytest
import torch

from mfdnn.flows import FlowBatchNorm, LogitTransform, Squeeze, channel_mask, checkerboard_mask
from mfdnn.flows.base import bits_per_dim

pytestmark = pytest.mark.hw10


def test_checkerboard_and_channel_masks():
    m = checkerboard_mask(3, 4, parity=0)[0, 0]
    assert m.tolist() == [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0]]
    assert torch.equal(checkerboard_mask(3, 4, 1), 1 - checkerboard_mask(3, 4, 0))
    assert channel_mask(4).flatten().tolist() == [1, 1, 0, 0]
    assert channel_mask(4, first_half=False).flatten().tolist() == [0, 0, 1, 1]


def test_squeeze_moves_each_2x2_block_into_four_channels():
    x = torch.arange(2 * 4 * 4, dtype=torch.float32).reshape(1, 2, 4, 4)
    z = Squeeze()(x)
    assert z.shape == (1, 8, 2, 2)
    # output position (i, j) of input channel c holds x[c, 2i:2i+2, 2j:2j+2] in its 4 channels
    for c in range(2):
        for i in range(2):
            for j in range(2):
                block = x[0, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2].flatten()
                assert torch.equal(z[0, 4 * c:4 * c + 4, i, j], block)


def test_flow_batchnorm_training_mode_uses_batch_statistics_and_updates_running_ones():
    bn = FlowBatchNorm(3, momentum=0.1, eps=1e-5)
    x = torch.randn(50, 3, 4, 4) * torch.tensor([1.0, 2.0, 3.0]).view(1, 3, 1, 1) + 1
    z, log_det = bn.forward_and_log_det(x)
    dims = (0, 2, 3)
    mean, var = x.mean(dims), x.var(dims, unbiased=False)
    torch.testing.assert_close(z.mean(dims), torch.zeros(3), atol=1e-5, rtol=0)
    # log-det = -1/2 sum_i log(var_i + eps), once per position
    torch.testing.assert_close(log_det, (-0.5 * torch.log(var + 1e-5).sum() * 16).expand(50))
    # mu~ <- rho mu~ + (1 - rho) mu^ with rho = 0.9, from mu~ = 0, sigma~^2 = 1
    torch.testing.assert_close(bn.running_mean, 0.1 * mean)
    torch.testing.assert_close(bn.running_var, 0.9 + 0.1 * var)
    torch.testing.assert_close(bn.inverse(z), x, atol=1e-5, rtol=1e-5)


def test_logit_transform_log_det_formula():
    y = torch.tensor([[0.0, 0.5, 1.0]])
    x, log_det = LogitTransform(0.05).forward_and_log_det(y)
    p = 0.05 + 0.9 * y
    torch.testing.assert_close(x, torch.log(p / (1 - p)))
    expected = (math.log(0.9) - torch.log(p) - torch.log(1 - p)).sum()
    torch.testing.assert_close(log_det, expected.reshape(1))


def test_bits_per_dim_of_the_uniform_density_is_eight():
    # the uniform density on [0, 1]^D has log p = 0: 8 bits per dimension of 8-bit data
    assert bits_per_dim(torch.tensor(0.0), dim=784).item() == pytest.approx(8.0)
    assert bits_per_dim(torch.tensor(1980.50), dim=784).item() == pytest.approx(4.3557, abs=1e-3)
