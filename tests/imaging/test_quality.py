"""PSNR and SSIM against values computed by hand, and SSIM against scikit-image's."""

import math

import numpy as np
import pytest
import torch

from mfdnn.imaging.quality import crop_border, gaussian_window, mean_psnr, psnr, ssim

pytestmark = pytest.mark.hw8


def test_psnr_by_hand():
    x = torch.zeros(1, 4, 4, dtype=torch.float64)
    # MSE = 0.1^2 = 0.01 -> PSNR = 10 log10(1 / 0.01) = 20 dB
    assert psnr(x + 0.1, x).item() == pytest.approx(20.0, abs=1e-9)
    # uint8 scale: an error of 5 grey levels -> 20 log10(255 / 5) = 34.1514 dB
    assert psnr(x + 5, x, data_range=255).item() == pytest.approx(20 * math.log10(51), abs=1e-9)
    # half the pixels off by 0.2: MSE = 0.02 -> 16.9897 dB
    y = x.clone()
    y[..., :2] = 0.2
    assert psnr(y, x).item() == pytest.approx(10 * math.log10(50), abs=1e-9)
    assert psnr(x, x).item() == math.inf


def test_psnr_of_gaussian_noise_at_sigma_25():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(1, 256, 256, generator=g)
    y = x + 25 / 255 * torch.randn(x.shape, generator=g)
    # E[MSE] = sigma^2, so PSNR is about 20 log10(255 / 25) = 20.17 dB
    assert psnr(y, x).item() == pytest.approx(20 * math.log10(255 / 25), abs=0.05)


def test_psnr_is_per_image_and_mean_psnr_averages_the_decibels():
    x = torch.zeros(2, 1, 4, 4, dtype=torch.float64)
    y = x.clone()
    y[0] += 0.1  # 20 dB
    y[1] += 0.01  # 40 dB
    assert psnr(y, x).tolist() == pytest.approx([20.0, 40.0])
    assert mean_psnr([y[0], y[1]], [x[0], x[1]]) == pytest.approx(30.0)


def test_crop_border():
    x = torch.arange(36.0).reshape(1, 6, 6)
    assert crop_border(x, 2).tolist() == [[[14.0, 15.0], [20.0, 21.0]]]
    assert crop_border(x, 0) is x


def test_ssim_by_hand_on_a_single_window():
    # a 2 x 2 image with a 2 x 2 uniform window: one window, so SSIM is one number
    x = torch.tensor([[[0.0, 0.5], [0.5, 1.0]]])  # mean 0.5, variance 0.125
    c1, c2 = 0.01**2, 0.03**2
    assert ssim(x, x, window="uniform", size=2).item() == pytest.approx(1.0, abs=1e-12)
    flat = torch.full_like(x, 0.5)  # mean 0.5, variance 0, covariance 0
    expected = (2 * 0.25 + c1) * c2 / ((0.5 + c1) * (0.125 + c2))
    assert ssim(x, flat, window="uniform", size=2).item() == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(0.0071485, abs=1e-6)
    # 1 - x: same mean and variance, covariance -0.125
    expected = (2 * 0.25 + c1) * (-0.25 + c2) / ((0.5 + c1) * (0.25 + c2))
    assert ssim(x, 1 - x, window="uniform", size=2).item() == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(-0.992826, abs=1e-6)


def test_gaussian_window_sums_to_one_and_is_symmetric():
    w = gaussian_window(11, 1.5)
    assert w.sum().item() == pytest.approx(1.0, abs=1e-12)
    torch.testing.assert_close(w, w.T)
    torch.testing.assert_close(w, w.flip(0))
    assert w.argmax().item() == 5 * 11 + 5


def test_ssim_matches_scikit_image():
    from skimage.metrics import structural_similarity

    rng = np.random.RandomState(0)
    x = rng.rand(40, 48)
    y = np.clip(x + 0.1 * rng.randn(40, 48), 0, 1)
    expected = structural_similarity(x, y, data_range=1.0, gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False)
    got = ssim(torch.from_numpy(y)[None], torch.from_numpy(x)[None]).item()
    assert got == pytest.approx(expected, abs=1e-10)


def test_ssim_is_symmetric_batched_and_at_most_one():
    g = torch.Generator().manual_seed(1)
    x = torch.rand(3, 2, 20, 20, generator=g)
    y = torch.rand(3, 2, 20, 20, generator=g)
    s = ssim(x, y)
    assert s.shape == (3,)
    torch.testing.assert_close(s, ssim(y, x))
    assert (s <= 1).all()
    torch.testing.assert_close(ssim(x, x), torch.ones(3, dtype=torch.float64))


def test_ssim_rejects_images_smaller_than_the_window():
    with pytest.raises(ValueError):
        ssim(torch.rand(1, 8, 8), torch.rand(1, 8, 8))
