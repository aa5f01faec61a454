"""PASCAL VOC 2012 semantic segmentation: the official release only, read from its own layout.

The release ``VOCtrainval_11-May-2012.tar`` (about 2 GB, MD5 published with it) unpacks to

    VOCdevkit/VOC2012/JPEGImages/<id>.jpg            RGB photographs
    VOCdevkit/VOC2012/SegmentationClass/<id>.png     palette PNGs: pixel value = class
    VOCdevkit/VOC2012/ImageSets/Segmentation/{train,val,trainval}.txt    one <id> per line

Classes are 0 (background) and 1..20; 255 marks object boundaries and "difficult" pixels
(void), which the loss and the scores ignore. :func:`fetch_voc` downloads and unpacks the
release into the cache (``<cache>/voc2012``) or uses a copy of the tar in a folder you name;
:func:`load_voc_segmentation` reads a split from any folder holding that layout.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from mfdnn.data.files import cache_root, file_lock
from mfdnn.errors import DataError

VOC_URL = "http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar"
VOC_TAR = "VOCtrainval_11-May-2012.tar"
VOC_MD5 = "6cd6e144f989b92b3379bac3b3de84fd"
VOID = 255
VOC_CLASSES = (
    "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
    "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
    "sheep", "sofa", "train", "tvmonitor",
)


@dataclass(frozen=True)
class SegmentationSet:
    """``images`` uint8 N x 3 x S x S, ``masks`` int64 N x S x S (0..20, 255 void)."""

    images: torch.Tensor
    masks: torch.Tensor
    ids: tuple[str, ...]
    classes: tuple[str, ...] = VOC_CLASSES

    def __len__(self) -> int:
        return len(self.ids)


def find_voc_root(folder: Path | str) -> Path:
    """``folder`` itself, or ``folder/VOC2012``, or ``folder/VOCdevkit/VOC2012``."""
    folder = Path(folder)
    for candidate in (folder, folder / "VOC2012", folder / "VOCdevkit" / "VOC2012"):
        if (candidate / "ImageSets" / "Segmentation").is_dir():
            return candidate
    raise DataError(f"no PASCAL VOC 2012 layout (ImageSets/Segmentation) under {folder}; "
                    f"fetch the official release {VOC_TAR} with fetch_voc()")


def _read_pair(root: Path, image_id: str, size: int | None) -> tuple[np.ndarray, np.ndarray]:
    from PIL import Image

    image_path = root / "JPEGImages" / f"{image_id}.jpg"
    mask_path = root / "SegmentationClass" / f"{image_id}.png"
    try:
        image = Image.open(image_path).convert("RGB")
        mask = Image.open(mask_path)
        if mask.mode not in ("P", "L"):
            raise DataError(f"{mask_path}: expected a palette (class-index) PNG, got {mask.mode}")
        if size is not None:  # bilinear for the photo, nearest for the class indices
            image = image.resize((size, size), Image.BILINEAR)
            mask = mask.resize((size, size), Image.NEAREST)
        return np.asarray(image).transpose(2, 0, 1), np.asarray(mask)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read VOC pair {image_id}: {exc}") from None


def load_voc_segmentation(folder: Path | str, split: str = "train", *, size: int | None = 256,
                          limit: int | None = None) -> SegmentationSet:
    """The images and class masks of ``split`` (train, val, trainval), resized to
    ``size`` x ``size`` (``None`` keeps the sizes, which then must agree to stack)."""
    root = find_voc_root(folder)
    list_file = root / "ImageSets" / "Segmentation" / f"{split}.txt"
    if not list_file.exists():
        choices = sorted(p.stem for p in list_file.parent.glob("*.txt"))
        raise DataError(f"VOC has no split '{split}' in {list_file.parent}; choose from "
                        f"{', '.join(choices)}")
    ids = tuple(line.strip() for line in list_file.read_text().splitlines() if line.strip())
    ids = ids[:limit]
    if not ids:
        raise DataError(f"{list_file} lists no images")
    pairs = [_read_pair(root, i, size) for i in ids]
    try:
        images = torch.from_numpy(np.stack([p[0] for p in pairs]))
        masks = torch.from_numpy(np.stack([p[1] for p in pairs]).astype(np.int64))
    except ValueError:
        raise DataError("VOC images differ in size; pass size=S to resize them") from None
    bad = masks[(masks != VOID) & (masks >= len(VOC_CLASSES))]
    if len(bad):
        raise DataError(f"VOC masks hold class {int(bad[0])}, outside 0..20 and 255")
    return SegmentationSet(images, masks, ids)


def md5_file(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_voc(dest: Path | str | None = None, *, from_dir: Path | str | None = None,
              url: str = VOC_URL, md5: str = VOC_MD5) -> Path:
    """The VOC 2012 root under ``dest`` (default ``<cache>/voc2012``), unpacking the official
    tar first if needed: from ``from_dir`` if it holds ``VOCtrainval_11-May-2012.tar``,
    else downloaded from ``url`` (skipped under ``$MFDNN_OFFLINE``). The tar's MD5 must be
    ``md5``; it is deleted after unpacking."""
    dest = Path(dest) if dest is not None else cache_root() / "voc2012"
    with file_lock(dest / ".lock"):
        try:
            return find_voc_root(dest)
        except DataError:
            pass
        local = Path(from_dir) / VOC_TAR if from_dir else None
        tar_path = dest / VOC_TAR
        if local is not None and local.exists():
            tar_path = local
        elif os.environ.get("MFDNN_OFFLINE"):
            raise DataError(f"PASCAL VOC is not in {dest} and downloads are off "
                            f"($MFDNN_OFFLINE); put {VOC_TAR} in a folder and pass it")
        else:
            _download(url, tar_path)
        if md5_file(tar_path) != md5:
            if tar_path.parent == dest:
                tar_path.unlink()
            raise DataError(f"{tar_path} fails its MD5 check (expected {md5})")
        try:
            with tarfile.open(tar_path) as tar:
                if hasattr(tarfile, "data_filter"):  # refuses absolute paths and links out
                    tar.extractall(dest, filter="data")
                else:  # Python < 3.10.12
                    tar.extractall(dest)
        except (tarfile.TarError, OSError) as exc:
            raise DataError(f"cannot unpack {tar_path}: {exc}") from None
        if tar_path.parent == dest:
            tar_path.unlink()
        return find_voc_root(dest)


def _download(url: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(part, "wb") as f:
            while chunk := response.read(1 << 20):
                f.write(chunk)
    except (urllib.error.URLError, OSError) as exc:
        part.unlink(missing_ok=True)
        raise DataError(f"cannot download PASCAL VOC from {url}: {exc}") from None
    os.replace(part, path)
