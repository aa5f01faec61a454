"""Kernel MMD, the KDE and mode coverage."""

from __future__ import annotations

import numpy as np
import pytest

from mfdnn.samples import image_grid, kde_grid, mmd2, mode_coverage

pytestmark = pytest.mark.hw12


def test_mmd_is_near_zero_for_one_distribution_and_positive_for_two():
    rng = np.random.RandomState(0)
    a, b = rng.randn(800, 2), rng.randn(800, 2)
    shifted = rng.randn(800, 2) + [0.5, 0]
    assert abs(mmd2(a, b)) < 0.01
    assert mmd2(a, shifted) > 10 * abs(mmd2(a, b))


def test_mmd_matches_the_definition_on_a_tiny_example():
    x, y = np.array([[0.0], [1.0]]), np.array([[0.5], [2.0], [3.0]])

    def k(u, v):
        return sum(np.exp(-(u - v) ** 2 / (2 * h * h)) for h in (0.5, 1.0))

    xx = 2 * k(0.0, 1.0) / 2
    yy = 2 * (k(0.5, 2.0) + k(0.5, 3.0) + k(2.0, 3.0)) / 6
    xy = sum(k(a, b) for a in (0.0, 1.0) for b in (0.5, 2.0, 3.0)) / 6
    assert mmd2(x, y, bandwidths=(0.5, 1.0)) == pytest.approx(xx + yy - 2 * xy, rel=1e-6)


def test_kde_integrates_to_about_one():
    rng = np.random.RandomState(1)
    X, Y, density = kde_grid(0.2 * rng.randn(500, 2), limits=(-1.5, 1.5), size=121)
    cell = (X[0, 1] - X[0, 0]) * (Y[1, 0] - Y[0, 0])
    assert density.sum() * cell == pytest.approx(1, abs=0.01)


def test_mode_coverage_counts_modes_and_quality():
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    samples = np.concatenate([np.zeros((50, 2)), np.full((49, 2), 10.0),
                              [[10.0, 0.0]] * 4, [[5.0, 5.0]]])  # 4 < 20% of 104 / 4
    score = mode_coverage(samples, centres, std=0.1)
    assert score["modes_covered"] == 2
    assert score["high_quality_fraction"] == pytest.approx(103 / 104)


def test_image_grid_tiles_images():
    grid = image_grid(np.zeros((5, 1, 2, 3)), nrow=3, pad=1)
    assert grid.shape == (2 * 3 + 1, 3 * 4 + 1)
