"""HW9 P2's flow: derivative, monotonicity, bisection, the starter's sampler."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from mfdnn.data.synthetic.mixture1d import mixture, mixture_density
from mfdnn.flows import MixtureCDFFlow1d

pytestmark = pytest.mark.hw9


def test_official_initialisation_draws_mu_from_torch_randn():
    torch.manual_seed(0)
    expected = torch.randn(5)
    torch.manual_seed(0)
    flow = MixtureCDFFlow1d(5)
    assert torch.equal(flow.mu.data, expected)
    assert torch.equal(flow.log_sigma.data, torch.zeros(5))
    assert torch.equal(flow.log_weight.data, torch.ones(5))


def test_dz_dx_matches_autograd_and_is_positive():
    torch.manual_seed(1)
    flow = MixtureCDFFlow1d(5).double()
    x = torch.linspace(-3, 3, 41, dtype=torch.float64, requires_grad=True)
    z = flow(x.reshape(-1, 1))
    (dz,) = torch.autograd.grad(z.sum(), x)
    torch.testing.assert_close(torch.log(dz), flow.log_det(x.detach().reshape(-1, 1)))
    assert (dz > 0).all()


def test_log_prob_is_gaussian_of_z_plus_log_derivative():
    torch.manual_seed(2)
    flow = MixtureCDFFlow1d(5).double()
    x = torch.linspace(-2, 2, 9, dtype=torch.float64).reshape(-1, 1)
    z, log_det = flow.forward_and_log_det(x)
    expected = -0.5 * z[:, 0] ** 2 - 0.5 * math.log(2 * math.pi) + log_det
    torch.testing.assert_close(flow.log_prob(x), expected)


def test_thirty_bisection_steps_invert_to_six_over_two_to_the_thirty():
    torch.manual_seed(3)
    flow = MixtureCDFFlow1d(5).double()
    x = torch.linspace(-2.9, 2.9, 30, dtype=torch.float64)
    with torch.no_grad():
        back = flow.inverse(flow(x))
    assert (back - x).abs().max() <= 6 / 2**30


def test_starter_sampler_is_1_1_2_with_num_plus_num_over_3_points():
    rng = np.random.RandomState(0)
    data = mixture(5000, rng)
    assert len(data) == 6666
    # drawn as normal(-1, .25, 1666), normal(.2, .25, 1666), normal(1.5, .25, 3334)
    ref = np.random.RandomState(0)
    expected = np.concatenate([ref.normal(-1, 0.25, 1666), ref.normal(0.2, 0.25, 1666),
                               ref.normal(1.5, 0.25, 3334)])
    np.testing.assert_array_equal(data, expected)
    assert len(mixture(1000, rng)) == 1333
    assert len(mixture(999, np.random.RandomState(0), equal=True)) == 999


def test_mixture_density_integrates_to_one():
    grid = np.linspace(-4, 5, 20001)
    for equal in (False, True):
        assert np.trapezoid(mixture_density(grid, equal), grid) == pytest.approx(1, abs=1e-6)
