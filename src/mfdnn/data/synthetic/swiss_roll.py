"""HW12 P3/P4's swiss roll, ``make_swiss_roll(n)``, drawn in the starter's order:

1. t = 2 pi sqrt(U), U ~ U(0.25, 4): all n uniforms first, so t in [pi, 4 pi];
2. the points (0.1 t cos t, 0.1 t sin t);
3. plus 0.025 N(0, I_2) noise, one ``multivariate_normal`` call of shape n x 2.

A 1.5-turn spiral whose radius runs from about 0.31 to 1.26.
"""

from __future__ import annotations

import numpy as np

NOISE = 0.025


def make_swiss_roll(n: int, rng: np.random.RandomState) -> np.ndarray:
    """n x 2 float64 array of swiss-roll points."""
    t = 2 * np.pi * np.sqrt(rng.uniform(0.25, 4, n))
    points = np.stack([0.1 * t * np.cos(t), 0.1 * t * np.sin(t)], axis=1)
    return points + NOISE * rng.multivariate_normal(np.zeros(2), np.eye(2), size=n)
