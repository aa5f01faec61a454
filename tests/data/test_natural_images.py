"""Natural images: the split, grey conversion, user folders, and patches drawn on the device."""

import numpy as np
import pytest
import torch

from mfdnn.data.natural_images import (
    TEST_IMAGES,
    TRAIN_IMAGES,
    PatchSampler,
    load_image_split,
    random_dihedral,
    skimage_image,
    to_grey01,
)
from mfdnn.errors import DataError

pytestmark = pytest.mark.hw8


def test_train_and_test_images_are_disjoint():
    assert not set(TRAIN_IMAGES) & set(TEST_IMAGES)
    assert "cat" not in TRAIN_IMAGES  # the same photograph as chelsea


def test_skimage_images_are_grey_in_unit_range():
    camera = skimage_image("camera")
    assert camera.shape == (1, 512, 512) and camera.dtype == torch.float32
    assert 0 <= camera.min() and camera.max() <= 1
    coffee = skimage_image("coffee")  # RGB -> luminance
    assert coffee.shape == (1, 400, 600)
    with pytest.raises(DataError):
        skimage_image("no-such-image")


def test_to_grey01_uses_the_luminance_weights():
    rgb = np.zeros((2, 2, 3), dtype=np.uint8)
    rgb[..., 1] = 255  # pure green
    assert to_grey01(rgb) == pytest.approx(np.full((2, 2), 0.7154), abs=1e-4)
    assert to_grey01(np.array([[0, 255]], dtype=np.uint8)).tolist() == [[0.0, 1.0]]


def test_folder_source(tmp_path):
    from skimage import io

    for sub, count in (("train", 2), ("test", 1)):
        (tmp_path / sub).mkdir()
        for i in range(count):
            io.imsave(tmp_path / sub / f"im{i}.png", np.full((20, 30), 100 + i, np.uint8),
                      check_contrast=False)
    split = load_image_split("folder", image_dir=str(tmp_path))
    assert len(split.train) == 2 and split.test_names == ["im0.png"]
    assert split.test[0].shape == (1, 20, 30)
    assert split.train[1][0, 0, 0].item() == pytest.approx(101 / 255)
    with pytest.raises(DataError, match="train/ and test/"):
        load_image_split("folder")
    with pytest.raises(DataError, match="does not exist"):
        load_image_split("folder", image_dir=str(tmp_path / "nowhere"))


def test_dihedral_gives_one_of_the_eight_symmetries():
    x = torch.arange(9.0).reshape(1, 1, 3, 3).repeat(64, 1, 1, 1)
    out = random_dihedral(x, torch.Generator().manual_seed(0))
    group = []
    for k in range(4):
        r = torch.rot90(x[0], k, (-2, -1))
        group += [r, r.flip(-1)]
    seen = set()
    for o in out:
        matches = [i for i, g in enumerate(group) if torch.equal(o, g)]
        assert len(matches) == 1
        seen.add(matches[0])
    assert len(seen) == 8  # 64 draws reach all eight


def test_patches_are_windows_of_their_own_image():
    g = torch.Generator().manual_seed(0)
    images = [torch.rand(1, 12, 20, generator=g), torch.rand(1, 30, 9, generator=g)]
    sampler = PatchSampler(images, 8, "cpu", augment=False)
    idx = sampler.indices(50)
    assert idx.tolist()[:4] == [0, 1, 0, 1]
    patches = sampler(idx, torch.Generator().manual_seed(1))
    assert patches.shape == (100, 1, 8, 8)
    for i, p in zip(idx.tolist(), patches, strict=True):
        img = images[i][0]
        H, W = img.shape
        found = any(torch.equal(p[0], img[t:t + 8, s:s + 8])
                    for t in range(H - 7) for s in range(W - 7))
        assert found  # never the zero padding of the shared tensor
    with pytest.raises(DataError, match="exceeds"):
        PatchSampler(images, 10, "cpu")


def test_patch_corners_cover_every_position():
    image = torch.arange(25.0).reshape(1, 5, 5)
    sampler = PatchSampler([image], 3, "cpu", augment=False)
    corners = sampler(torch.zeros(2000, dtype=torch.long), torch.Generator().manual_seed(0))
    assert set(corners[:, 0, 0, 0].tolist()) == {0, 1, 2, 5, 6, 7, 10, 11, 12}
