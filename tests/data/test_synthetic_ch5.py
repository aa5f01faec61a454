"""The generators of HW12's swiss roll and the toy GANs' Gaussian mixtures."""

from __future__ import annotations

import numpy as np
import pytest

from mfdnn.data.synthetic.gaussian_mixtures import (
    MIXTURES,
    grid_centres,
    ring_centres,
    sample_mixture,
)
from mfdnn.data.synthetic.swiss_roll import make_swiss_roll

pytestmark = pytest.mark.hw12


def test_swiss_roll_draw_order_and_shape():
    rng = np.random.RandomState(0)
    points = make_swiss_roll(2000, rng)
    ref = np.random.RandomState(0)
    t = 2 * np.pi * np.sqrt(ref.uniform(0.25, 4, 2000))  # all uniforms first
    noise = ref.multivariate_normal(np.zeros(2), np.eye(2), size=2000)  # then one mvn call
    np.testing.assert_allclose(points, np.stack([0.1 * t * np.cos(t), 0.1 * t * np.sin(t)], 1)
                               + 0.025 * noise)
    radius = np.linalg.norm(points, axis=1)
    assert 0.2 < radius.min() < 0.4 and 1.15 < radius.max() < 1.4  # about 0.31 to 1.26


def test_gaussian_mixture_centres_and_samples():
    assert np.allclose(np.linalg.norm(ring_centres(8, 2.0), axis=1), 2.0)
    grid = grid_centres(5, 2.0)
    assert len(grid) == 25 and set(np.unique(grid)) == {-4.0, -2.0, 0.0, 2.0, 4.0}
    centres, std = MIXTURES["ring8"]
    x = sample_mixture(8000, centres, std, np.random.RandomState(0))
    nearest = np.linalg.norm(x[:, None] - centres[None], axis=2).min(1)
    assert nearest.max() < 6 * std and abs(x[:, 0].mean()) < 0.1
