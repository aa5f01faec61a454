"""2-D Gaussian mixtures for toy GANs (mode collapse benchmarks).

* ``ring``: k = 8 equally weighted Gaussians with centres on the circle of radius 2 and
  standard deviation 0.02 (Srivastava et al. 2017, VEEGAN);
* ``grid``: 25 Gaussians with centres on {-4, -2, 0, 2, 4}^2 and standard deviation 0.05
  (Lin et al. 2018, PacGAN).

Each sampler returns the points and the centres; the component of every point is drawn
first (``randint``), then the noise (``randn``), from the legacy NumPy stream.
"""

from __future__ import annotations

import numpy as np


def ring_centres(k: int = 8, radius: float = 2.0) -> np.ndarray:
    angle = 2 * np.pi * np.arange(k) / k
    return radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)


def grid_centres(side: int = 5, spacing: float = 2.0) -> np.ndarray:
    axis = spacing * (np.arange(side) - (side - 1) / 2)
    xx, yy = np.meshgrid(axis, axis, indexing="ij")
    return np.stack([xx.ravel(), yy.ravel()], axis=1)


def sample_mixture(n: int, centres: np.ndarray, std: float,
                   rng: np.random.RandomState) -> np.ndarray:
    """n points: a uniformly chosen centre plus std * N(0, I_2)."""
    component = rng.randint(len(centres), size=n)
    return centres[component] + std * rng.randn(n, 2)


MIXTURES = {
    "ring8": (ring_centres(8, 2.0), 0.02),
    "grid25": (grid_centres(5, 2.0), 0.05),
}
