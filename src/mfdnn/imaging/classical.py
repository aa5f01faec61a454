"""Classical denoisers that a learned denoiser must beat, on the same noisy images.

* ``bm3d``: block-matching and 3-D collaborative filtering (Dabov et al. 2007), from the
  ``bm3d`` package (the authors' binaries); the strongest classical baseline.
* ``nl-means``: scikit-image's non-local means (``h = 0.8 sigma``, 5 x 5 patches searched
  within 13 x 13, the settings its gallery recommends for a known sigma).
* ``wavelet``: scikit-image's BayesShrink soft thresholding of a wavelet decomposition.

``auto`` is BM3D where the package imports, else non-local means.
"""

from __future__ import annotations

import numpy as np

from mfdnn.errors import ConfigError

BASELINES = ("auto", "bm3d", "nl-means", "wavelet")


def bm3d_available() -> bool:
    try:
        import bm3d  # noqa: F401
    except Exception:  # ImportError, or its shared library failing to load
        return False
    return True


def resolve_baseline(name: str) -> str:
    if name not in BASELINES:
        raise ConfigError(f"unknown baseline '{name}'; choose from {', '.join(BASELINES)}")
    if name == "auto":
        return "bm3d" if bm3d_available() else "nl-means"
    if name == "bm3d" and not bm3d_available():
        raise ConfigError("baseline 'bm3d' needs the bm3d package (pip install bm3d); "
                          "or use --set baseline=nl-means")
    return name


def classical_denoise(noisy: np.ndarray, sigma: float, method: str) -> np.ndarray:
    """Denoise a grey H x W float image (pixels nominally in [0, 1]) with noise std ``sigma``."""
    noisy = np.asarray(noisy, dtype=np.float64)
    if method == "bm3d":
        import bm3d

        return np.asarray(bm3d.bm3d(noisy, sigma_psd=sigma), dtype=np.float64)
    if method == "nl-means":
        from skimage.restoration import denoise_nl_means

        return denoise_nl_means(noisy, h=0.8 * sigma, sigma=sigma, patch_size=5,
                                patch_distance=6, fast_mode=True)
    if method == "wavelet":
        from skimage.restoration import denoise_wavelet

        return denoise_wavelet(noisy, sigma=sigma, method="BayesShrink", mode="soft",
                               rescale_sigma=True)
    raise ConfigError(f"unknown classical denoiser '{method}'; choose from "
                      f"{', '.join(BASELINES[1:])}")
