"""The forward operators of denoising and super-resolution, and the classical denoisers."""

import numpy as np
import pytest
import torch

from mfdnn.errors import ConfigError
from mfdnn.imaging.classical import classical_denoise, resolve_baseline
from mfdnn.imaging.degrade import (
    add_gaussian_noise,
    bicubic_upsample,
    center_crop,
    crop_to_multiple,
    degrade_for_sr,
    downsample,
)
from mfdnn.imaging.quality import psnr

pytestmark = pytest.mark.hw8


def test_average_pooling_takes_block_means():
    x = torch.arange(36.0).reshape(1, 1, 6, 6)
    y = downsample(x, 3)
    assert y.shape == (1, 1, 2, 2)
    assert y[0, 0, 0, 0].item() == pytest.approx(np.mean([0, 1, 2, 6, 7, 8, 12, 13, 14]))
    with pytest.raises(ValueError, match="divisible"):
        downsample(torch.rand(1, 1, 7, 6), 3)


def test_bicubic_keeps_constants_and_sizes():
    x = torch.full((1, 1, 12, 9), 0.3)
    for method in ("avgpool", "bicubic"):
        y = degrade_for_sr(x, 3, method)
        assert y.shape == x.shape
        torch.testing.assert_close(y, x)
    assert bicubic_upsample(torch.rand(2, 1, 4, 5), 3).shape == (2, 1, 12, 15)


def test_crops():
    x = torch.rand(1, 10, 14)
    assert crop_to_multiple(x, 3).shape == (1, 9, 12)
    c = center_crop(x, 4)
    assert torch.equal(c, x[:, 3:7, 5:9])
    assert center_crop(x, None) is x and center_crop(x, 100).shape == x.shape


def test_noise_has_the_requested_sigma_and_is_seeded():
    x = torch.zeros(1, 200, 200)
    y = add_gaussian_noise(x, 0.1, torch.Generator().manual_seed(0))
    assert y.std().item() == pytest.approx(0.1, rel=0.02)
    assert torch.equal(y, add_gaussian_noise(x, 0.1, torch.Generator().manual_seed(0)))


@pytest.mark.parametrize("method", ["nl-means", "wavelet", "bm3d"])
def test_classical_denoisers_remove_noise(method):
    if method == "bm3d" and resolve_baseline("auto") != "bm3d":
        pytest.skip("the bm3d package does not import here")
    i, j = np.mgrid[:48, :48] / 48
    clean = 0.5 + 0.3 * np.sin(4 * i) * np.cos(3 * j)
    noisy = clean + 0.1 * np.random.RandomState(0).randn(48, 48)
    out = classical_denoise(noisy, 0.1, method)
    t = torch.from_numpy
    assert psnr(t(out)[None], t(clean)[None]) > psnr(t(noisy)[None], t(clean)[None]) + 3


def test_unknown_baseline_is_a_config_error():
    with pytest.raises(ConfigError, match="choose from"):
        resolve_baseline("median")
