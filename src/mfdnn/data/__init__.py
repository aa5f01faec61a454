"""Data sets as tensors.

>>> train = load("mnist", "train")          # doctest: +SKIP
>>> train.images.shape, train.images.dtype   # (60000, 1, 28, 28), torch.uint8
>>> x = train.float01()                      # float32 in [0, 1], the course's ToTensor()

Images stay uint8 until a model needs them: 47 MB for MNIST instead of 188 MB.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import torch

from mfdnn.data.catalog import DATASETS, DatasetSpec
from mfdnn.data.cifar import read_cifar_batches
from mfdnn.data.files import cache_root
from mfdnn.data.idx import read_idx
from mfdnn.data.sources import ensure
from mfdnn.errors import DataError

__all__ = ["DATASETS", "ImageSet", "load", "spec", "ensure"]


@dataclass(frozen=True)
class ImageSet:
    """A labelled image set: ``images`` uint8 N x C x H x W, ``labels`` int64 N."""

    name: str
    split: str
    images: torch.Tensor
    labels: torch.Tensor
    classes: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.labels)

    def float01(self, device: torch.device | str | None = None) -> torch.Tensor:
        """Pixels as float32 in [0, 1] (uint8 / 255), on ``device``."""
        return self.images.to(device).float().div_(255)

    def subset(self, index: torch.Tensor | slice) -> ImageSet:
        return ImageSet(self.name, self.split, self.images[index], self.labels[index],
                        self.classes)


def spec(name: str) -> DatasetSpec:
    if name not in DATASETS:
        raise DataError(f"unknown data set '{name}'; choose from {', '.join(DATASETS)}")
    return DATASETS[name]


@functools.lru_cache(maxsize=16)
def _load(name: str, split: str, root: str, user_dir: str | None) -> ImageSet:
    s = spec(name)
    if split not in s.splits:
        raise DataError(f"data set '{name}' has no split '{split}'; choose from "
                        f"{', '.join(s.splits)}")
    folder = ensure(s, Path(user_dir) if user_dir else None, root=Path(root))
    files = [folder / f for f in s.splits[split]]
    if s.format == "idx":
        images, labels = read_idx(files[0]), read_idx(files[1])
        images = images[:, None]
        if len(images) != len(labels):
            raise DataError(f"{folder}: {len(images)} images but {len(labels)} labels")
    else:
        images, labels = read_cifar_batches(files)
    return ImageSet(name, split, torch.from_numpy(images),
                    torch.from_numpy(labels.astype("int64")), s.classes)


def load(name: str, split: str = "train", *, data_dir: Path | str | None = None) -> ImageSet:
    """Load a split of a data set, fetching and verifying it first if needed.

    Repeated calls in one process return the same (read-only by convention) tensors.
    """
    return _load(name, split, str(cache_root()), str(data_dir) if data_dir else None)
