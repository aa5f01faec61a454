"""HW5 P1: the hand backprop run on the starter's draws agrees with autograd."""

from __future__ import annotations

import pytest
import torch

from mfdnn.experiments import hw5_mlp_backprop as hw5
from mfdnn.experiments.core.context import RunContext

pytestmark = pytest.mark.hw5


def test_run_reports_the_first_layer_gradients_of_autograd(tmp_path):
    ctx = RunContext("hw5-mlp-backprop", "test", 0, torch.device("cpu"), tmp_path)
    m = hw5.run(hw5.Config(), ctx)
    torch.manual_seed(0)
    X, Y, As, bs = hw5.draw_mlp()
    loss, dAs, dbs = hw5.autograd_gradients(X, Y, As, bs)
    assert m["loss"] == pytest.approx(loss.item(), rel=1e-6)
    torch.testing.assert_close(torch.tensor(m["grad_A0"]), dAs[0], rtol=1e-4, atol=1e-10)
    torch.testing.assert_close(torch.tensor(m["grad_b0"]), dbs[0].flatten(), rtol=1e-4,
                               atol=1e-10)
    assert m["max_rel_diff_autograd"] < 1e-5
    assert len(m["grad_A0"]) == 4 and all(len(row) == 4 for row in m["grad_A0"])


def test_draw_order():
    torch.manual_seed(0)
    X, Y, As, bs = hw5.draw_mlp()
    torch.manual_seed(0)
    assert torch.equal(X, torch.rand(4, 1)) and torch.equal(Y, torch.rand(1, 1))
    for layer in range(5):
        assert torch.equal(As[layer], torch.rand(4, 4))
        assert torch.equal(bs[layer], torch.rand(4, 1))
    assert torch.equal(As[5], torch.rand(1, 4)) and torch.equal(bs[5], torch.rand(1, 1))
