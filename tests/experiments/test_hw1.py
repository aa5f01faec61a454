"""HW1: the wide-minima function, its derivative and the three regimes; the conv1d run."""

import numpy as np
import pytest
import torch

from mfdnn.experiments import hw1_conv1d, hw1_wide_minima
from mfdnn.experiments.core.context import RunContext

pytestmark = pytest.mark.hw1


def test_f_prime_matches_autograd():
    theta = torch.linspace(-5, 20, 101, dtype=torch.float64, requires_grad=True)
    s = torch.sigmoid(3 * (theta - 3))
    f = (1 - s) * 10 * theta**2 + s * ((theta - 10) ** 2 / 2 + 50)
    (grad,) = torch.autograd.grad(f.sum(), theta)
    ours = hw1_wide_minima.f_prime(theta.detach().numpy())
    np.testing.assert_allclose(ours, grad.numpy(), rtol=1e-10, atol=1e-10)


def test_minimisers_and_their_curvatures():
    sharp, wide = hw1_wide_minima.minimisers()
    assert abs(sharp) < 0.01 and abs(wide - 10) < 0.01
    assert hw1_wide_minima.f(np.array(wide)) == pytest.approx(50, abs=0.01)
    assert hw1_wide_minima.f_second(np.array(sharp)) == pytest.approx(20, rel=0.01)
    assert hw1_wide_minima.f_second(np.array(wide)) == pytest.approx(1, rel=0.01)


def test_regimes(tmp_path):
    ctx = RunContext("hw1-wide-minima", "full", 0, torch.device("cpu"), tmp_path)
    runs = {r["lr"]: r for r in hw1_wide_minima.run(hw1_wide_minima.Config(), ctx)["runs"]}
    assert runs[0.3] == {"lr": 0.3, "sharp": 0.0, "wide": 1.0, "diverged": 0.0}
    assert runs[4.0]["diverged"] == 1.0
    assert runs[0.01]["sharp"] > 0 and runs[0.01]["wide"] > 0 and runs[0.01]["diverged"] == 0


def test_huber_and_its_derivative():
    z = np.linspace(-3, 3, 61)
    h = hw1_conv1d.huber(z)
    np.testing.assert_allclose(hw1_conv1d.huber_grad(z), np.gradient(h, z), atol=0.06)
    assert hw1_conv1d.huber(np.array([0.5, 2.0])).tolist() == [0.125, 1.5]


def test_conv1d_run_matches_the_dense_run(tmp_path):
    ctx = RunContext("hw1-conv1d", "full", 0, torch.device("cpu"), tmp_path)
    metrics = hw1_conv1d.run(hw1_conv1d.Config(), ctx)
    assert metrics["max_abs_diff_dense"] < 1e-12
    assert metrics["adjoint_gap"] < 1e-12
    assert abs(metrics["objective"] - metrics["objective_dense"]) < 1e-12
