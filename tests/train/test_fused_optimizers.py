"""Fused optimisers take the same steps as PyTorch's default ones; bf16 support is a bool."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from mfdnn.train.device import bf16_autocast_supported
from mfdnn.train.optimizers import adam, sgd


@pytest.mark.parametrize("make", [
    lambda p, fused: torch.optim.Adam(p, lr=1e-2, fused=fused),
    lambda p, fused: torch.optim.SGD(p, lr=0.1, momentum=0.9, fused=fused),
])
def test_fused_steps_equal_the_default_ones(make):
    def train(fused):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 1))
        opt = make(model.parameters(), fused)
        x = torch.randn(32, 6)
        for _ in range(20):
            loss = model(x).square().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        return torch.cat([p.detach().flatten() for p in model.parameters()])

    torch.testing.assert_close(train(True), train(None), rtol=1e-5, atol=1e-6)


def test_helpers_fuse_where_the_kernel_exists():
    p = [nn.Parameter(torch.zeros(3))]
    assert adam(p, torch.device("cpu"), lr=1e-3).defaults["fused"] is True
    assert sgd(p, torch.device("cpu"), lr=0.1).defaults["fused"] is True
    assert sgd(p, torch.device("meta"), lr=0.1).defaults["fused"] is None


def test_bf16_support_is_a_plain_answer():
    assert isinstance(bf16_autocast_supported(torch.device("cpu")), bool)
    assert bf16_autocast_supported(torch.device("meta")) is False
