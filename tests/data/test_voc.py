"""The PASCAL VOC 2012 loader on a tiny file set written in the release's own layout."""

import hashlib
import tarfile

import numpy as np
import pytest
import torch
from PIL import Image

from mfdnn.data.voc import VOC_TAR, fetch_voc, find_voc_root, load_voc_segmentation
from mfdnn.errors import DataError

pytestmark = pytest.mark.hw8


def write_tiny_voc(base, ids=("2007_000032", "2007_000039"), size=(24, 32)):
    """VOCdevkit/VOC2012 with JPEGs, palette PNG masks (classes and 255) and split lists."""
    root = base / "VOCdevkit" / "VOC2012"
    for sub in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (root / sub).mkdir(parents=True)
    rng = np.random.RandomState(0)
    masks = {}
    for k, image_id in enumerate(ids):
        rgb = rng.randint(0, 256, (*size, 3), dtype=np.uint8)
        Image.fromarray(rgb).save(root / "JPEGImages" / f"{image_id}.jpg")
        mask = np.zeros(size, dtype=np.uint8)
        mask[4:12, 8:20] = 1 + k * 14  # aeroplane, then person
        mask[4:12, 7] = 255  # a void boundary
        png = Image.fromarray(mask, mode="P")
        png.putpalette([0, 0, 0, 128, 0, 0] + [0, 0, 0] * 254)
        png.save(root / "SegmentationClass" / f"{image_id}.png")
        masks[image_id] = mask
    (root / "ImageSets" / "Segmentation" / "train.txt").write_text(ids[0] + "\n")
    (root / "ImageSets" / "Segmentation" / "val.txt").write_text("\n".join(ids) + "\n")
    return root, masks


def test_loads_images_and_class_masks(tmp_path):
    root, masks = write_tiny_voc(tmp_path)
    val = load_voc_segmentation(tmp_path, "val", size=None)
    assert val.ids == ("2007_000032", "2007_000039")
    assert val.images.shape == (2, 3, 24, 32) and val.images.dtype == torch.uint8
    assert val.masks.shape == (2, 24, 32) and val.masks.dtype == torch.int64
    for m, image_id in zip(val.masks, val.ids, strict=True):
        assert np.array_equal(m.numpy(), masks[image_id])  # palette indices, not colours
    assert set(val.masks.unique().tolist()) == {0, 1, 15, 255}
    assert val.classes[15] == "person"
    train = load_voc_segmentation(root, "train", size=None)  # the root itself works too
    assert train.ids == ("2007_000032",)


def test_resizing_keeps_mask_values_and_limit_cuts(tmp_path):
    write_tiny_voc(tmp_path)
    s = load_voc_segmentation(tmp_path, "val", size=16, limit=1)
    assert s.images.shape == (1, 3, 16, 16) and s.masks.shape == (1, 16, 16)
    assert set(s.masks.unique().tolist()) <= {0, 1, 255}  # nearest: no blended classes


def test_bad_folder_and_split(tmp_path):
    with pytest.raises(DataError, match="ImageSets"):
        find_voc_root(tmp_path)
    write_tiny_voc(tmp_path)
    with pytest.raises(DataError, match="choose from train, val"):
        load_voc_segmentation(tmp_path, "test")


def test_fetch_unpacks_a_verified_tar_from_a_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MFDNN_OFFLINE", "1")
    src = tmp_path / "src"
    write_tiny_voc(src)
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    with tarfile.open(shelf / VOC_TAR, "w") as tar:
        tar.add(src / "VOCdevkit", arcname="VOCdevkit")
    md5 = hashlib.md5((shelf / VOC_TAR).read_bytes()).hexdigest()
    with pytest.raises(DataError, match="MD5"):
        fetch_voc(tmp_path / "cache1", from_dir=shelf)  # the official sum does not match
    root = fetch_voc(tmp_path / "cache2", from_dir=shelf, md5=md5)
    assert root == tmp_path / "cache2" / "VOCdevkit" / "VOC2012"
    assert len(load_voc_segmentation(root, "val", size=8)) == 2
    assert (shelf / VOC_TAR).exists()  # the user's copy is left alone
    with pytest.raises(DataError, match="downloads are off"):
        fetch_voc(tmp_path / "cache3")


def test_segmentation_experiment_runs_on_voc_files(tmp_path):
    from mfdnn.experiments.core.runner import run_experiment

    write_tiny_voc(tmp_path / "voc")
    record = run_experiment(
        "ch4-segmentation", profile="quick", out=tmp_path / "run", progress=False, quiet=True,
        device="cpu", overrides=["dataset=voc", f"voc_dir={tmp_path / 'voc'}", "voc_size=16",
                                 "widths=4,8", "train_size=1", "test_size=2", "batch_size=1"])
    m = record.metrics
    assert m["dataset"] == "voc" and len(m["iou_per_class_unet"]) == 21
    assert 0 <= m["pixel_accuracy_unet"] <= 1 and 0 <= m["miou_fcn"] <= 1
