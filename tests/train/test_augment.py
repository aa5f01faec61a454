"""Batch augmentation: random crop with padding and horizontal flip as tensor operations."""

import pytest
import torch
import torch.nn.functional as F

from mfdnn.train.augment import Augment, random_crop, random_hflip, resize_bilinear

pytestmark = pytest.mark.hw5


def test_random_crop_is_pad_then_slice_at_the_drawn_offsets():
    x = torch.rand(6, 3, 8, 8)
    g = torch.Generator().manual_seed(0)
    out = random_crop(x, 2, generator=g)
    g.manual_seed(0)
    top, left = torch.randint(0, 5, (6,), generator=g), torch.randint(0, 5, (6,), generator=g)
    padded = F.pad(x, (2, 2, 2, 2))
    for i in range(6):
        t, s = int(top[i]), int(left[i])
        torch.testing.assert_close(out[i], padded[i, :, t:t + 8, s:s + 8], rtol=0, atol=0)


def test_crop_offsets_cover_every_shift():
    x = torch.zeros(4000, 1, 3, 3)
    x[:, 0, 1, 1] = 1  # a single bright centre pixel
    out = random_crop(x, 1, generator=torch.Generator().manual_seed(1))
    positions = out.flatten(1).argmax(1)[out.flatten(1).amax(1) > 0]
    assert set(positions.tolist()) == set(range(9))  # every shift in {-1, 0, 1}^2 occurs
    assert (out.flatten(1).sum(1) == 1).all()  # with padding 1 the pixel is never cut


def test_flip_mirrors_about_half_of_the_images():
    x = torch.arange(16.0).reshape(1, 1, 4, 4).repeat(2000, 1, 1, 1)
    out = random_hflip(x, generator=torch.Generator().manual_seed(2))
    flipped = (out == x.flip(3)).flatten(1).all(1)
    kept = (out == x).flatten(1).all(1)
    assert (flipped ^ kept).all()
    assert flipped.float().mean().item() == pytest.approx(0.5, abs=0.05)


def test_augment_composes_and_leaves_shapes_alone():
    x = torch.rand(5, 3, 32, 32)
    aug = Augment(4, True, generator=torch.Generator().manual_seed(3))
    assert aug(x).shape == x.shape
    assert torch.equal(Augment(0, False)(x), x)
    assert resize_bilinear(x, (36, 38)).shape == (5, 3, 36, 38)
