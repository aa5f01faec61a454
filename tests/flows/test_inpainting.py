"""HW10 P2/P3: the projection and projected gradient descent keep the constraints."""

from __future__ import annotations

import pytest
import torch

from mfdnn.flows.inpainting import inpaint, project

pytestmark = pytest.mark.hw10


def test_projection_onto_the_box_with_fixed_known_coordinates():
    # HW10 P2: the projection of y onto {x : x_1 = a, 0 <= x_2 <= 1} is (a, clip(y_2, 0, 1))
    known = torch.tensor([True, False, False])
    x_true = torch.tensor([0.3, 0.0, 0.0])
    y = torch.tensor([5.0, -2.0, 0.7])
    assert project(y, known, x_true).tolist() == pytest.approx([0.3, 0.0, 0.7])


def test_inpainting_keeps_known_pixels_bitwise_and_decreases_the_loss():
    gen = torch.Generator().manual_seed(0)
    x_true = torch.rand(3, 16, generator=gen)
    known = torch.rand(3, 16, generator=gen) > 0.4
    target = torch.full((16,), 0.25)

    def log_prob(x):  # an isotropic Gaussian centred at 0.25
        return -((x - target) ** 2).sum(1) * 10

    result, history = inpaint(log_prob, x_true, known, fill=1.0, lr=0.01, iterations=200)
    assert torch.equal(result[known], x_true[known])
    assert (result >= 0).all() and (result <= 1).all()
    assert history[-1] < history[0]
    torch.testing.assert_close(result[~known], torch.full_like(result[~known], 0.25),
                               atol=1e-3, rtol=0)
