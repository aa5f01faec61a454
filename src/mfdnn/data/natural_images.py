"""Grey natural images for denoising and super-resolution, and random patches drawn on the device.

Three sources, all offline:

* ``skimage``: the photographs shipped inside scikit-image (``skimage.data``), split once and
  for all into training images and held-out test images (:data:`TRAIN_IMAGES`,
  :data:`TEST_IMAGES`); no test image, nor another shot of the same scene, is trained on.
* ``folder``: a folder of the user's images with ``train/`` and ``test/`` subfolders
  (PNG, JPEG, TIFF, BMP).
* ``mnist`` / ``fashion-mnist``: the 28 x 28 digits or clothes (training images to train,
  the first test images to test).
* ``bsd68`` / ``set12`` / ``set5`` / ``set14``: the papers' benchmarks. Training images are
  BSD400 (DnCNN's 400 training images), test images the named set; all five are fetched
  like any data set (``mfdnn data fetch bsd400``; a one-line error offline).

Every image becomes grey float32 in [0, 1] of shape 1 x H x W (colour images through the
luminance Y = 0.2125 R + 0.7154 G + 0.0721 B of ``skimage.color.rgb2gray``), or, with
``channel="y"`` (the super-resolution papers' protocol), the Y of BT.601 YCbCr.

:class:`PatchSampler` keeps the training images as one zero-padded tensor on the device and
turns a batch of image indices into random crops (with random flips and 90-degree rotations),
so training draws fresh patches every epoch without any per-sample Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from mfdnn.errors import DataError

# Held out: three classic test photographs. Trained on: every other photograph or texture
# of skimage.data (``cat`` is ``chelsea``, so only one of them is used).
TEST_IMAGES = ("camera", "astronaut", "coffee")
TRAIN_IMAGES = (
    "brick", "grass", "gravel", "chelsea", "rocket", "motorcycle", "clock", "coins", "moon",
    "page", "text", "cell", "immunohistochemistry", "hubble_deep_field", "retina",
)
BENCHMARKS = ("bsd68", "set12", "set5", "set14")  # test sets; BSD400 trains
SOURCES = ("skimage", "folder", "mnist", "fashion-mnist", *BENCHMARKS)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")


def to_grey01(array: np.ndarray) -> np.ndarray:
    """An image array (H x W, H x W x 3 or x 4; uint8, bool or float) as grey float32 in [0, 1]."""
    from skimage.color import rgb2gray
    from skimage.util import img_as_float

    image = img_as_float(np.asarray(array))
    if image.ndim == 3:
        image = rgb2gray(image[..., :3])
    if image.ndim != 2:
        raise DataError(f"expected a 2-D grey or an RGB image, got shape {array.shape}")
    return np.clip(image, 0.0, 1.0).astype(np.float32)


def to_y601(array: np.ndarray) -> np.ndarray:
    """The Y channel of ITU-R BT.601 YCbCr as MATLAB's ``rgb2ycbcr`` gives it for 8-bit RGB,
    Y = (16 + 65.481 R + 128.553 G + 24.966 B) / 255 for R, G, B in [0, 1], rounded to 8-bit
    levels; a grey image is kept as it is (SRCNN's and VDSR's test code converts only colour
    images). float32, H x W, in [0, 1]."""
    from skimage.util import img_as_float

    image = img_as_float(np.asarray(array))
    if image.ndim == 3:
        y = 16 + image[..., :3] @ np.array([65.481, 128.553, 24.966])  # in [16, 235]
        image = np.round(y) / 255
    if image.ndim != 2:
        raise DataError(f"expected a 2-D grey or an RGB image, got shape {array.shape}")
    return np.clip(image, 0.0, 1.0).astype(np.float32)


CONVERSIONS = {"grey": to_grey01, "y": to_y601}


def skimage_image(name: str) -> Tensor:
    """The grey version (1 x H x W, float32 in [0, 1]) of ``skimage.data.<name>``."""
    import skimage.data

    if name == "motorcycle":
        array = skimage.data.stereo_motorcycle()[0]  # the left view of the stereo pair
    elif hasattr(skimage.data, name):
        array = getattr(skimage.data, name)()
    else:
        raise DataError(f"skimage.data has no image '{name}'")
    return torch.from_numpy(to_grey01(array))[None]


def read_image(path: Path, channel: str = "grey") -> Tensor:
    """``path`` as 1 x H x W float32: grey (``to_grey01``) or BT.601 Y (``to_y601``)."""
    from skimage import io

    try:
        array = io.imread(path)
    except Exception as exc:  # unreadable or not an image
        raise DataError(f"cannot read image {path}: {exc}") from None
    return torch.from_numpy(CONVERSIONS[channel](array))[None]


def load_image_folder(folder: Path | str, channel: str = "grey"
                      ) -> tuple[list[Tensor], list[str]]:
    """Every image file directly in ``folder``, sorted by name, as grey (or Y) tensors."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"image folder {folder} does not exist")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not paths:
        raise DataError(f"no images ({', '.join(IMAGE_SUFFIXES)}) in {folder}")
    return [read_image(p, channel) for p in paths], [p.name for p in paths]


def benchmark_images(name: str, channel: str = "grey") -> tuple[list[Tensor], list[str]]:
    """The images of a benchmark of the data catalogue (``bsd400``, ``bsd68``, ``set12``,
    ``set5``, ``set14``) in file order, grey (or Y), with their file names; fetched if
    needed."""
    from mfdnn import data

    dataset = data.spec(name)
    if dataset.format != "images":
        raise DataError(f"data set '{name}' is not an image benchmark")
    folder = data.ensure(dataset)
    names = [f.name for f in dataset.files]
    return [read_image(folder / n, channel) for n in names], names


def benchmark_available(name: str) -> bool:
    """Every file of benchmark ``name`` is in the cache, or in ``$MFDNN_DATA_DIR`` (then it is
    verified into the cache); nothing is downloaded. For profiles that fall back to the
    offline photographs rather than fail."""
    import os

    from mfdnn import data
    from mfdnn.data.files import cache_root
    from mfdnn.data.sources import Source, check_cache, collect_from_folder

    dataset = data.spec(name)
    if all(s == "ok" for s in check_cache(dataset, cache_root() / name).values()):
        return True
    folder = os.environ.get("MFDNN_DATA_DIR")
    if not folder:
        return False
    user = Source(f"folder {folder}",
                  lambda spec, staging: collect_from_folder(spec, Path(folder), staging))
    try:
        data.ensure(dataset, sources=[user])
    except DataError:
        return False
    return True


@dataclass
class ImageSplit:
    """Training and held-out test images (each 1 x H x W, float32 in [0, 1])."""

    source: str
    train: list[Tensor]
    test: list[Tensor]
    test_names: list[str]


def load_image_split(source: str = "skimage", *, image_dir: str | None = None,
                     test_count: int | None = None, train_count: int | None = None,
                     channel: str = "grey") -> ImageSplit:
    """Training and test images of ``source`` (see the module docstring).

    ``test_count`` / ``train_count`` keep the first images of each list (all by default;
    the MNIST sources default to 100 test images). ``channel="y"`` reads the files of the
    ``folder`` and benchmark sources as BT.601 Y (``to_y601``) instead of grey.
    """
    if source == "skimage":
        train = [skimage_image(n) for n in TRAIN_IMAGES[:train_count]]
        names = list(TEST_IMAGES[:test_count])
        test = [skimage_image(n) for n in names]
    elif source == "folder":
        if not image_dir:
            raise DataError("source 'folder' needs image_dir (a folder with train/ and test/)")
        train, _ = load_image_folder(Path(image_dir) / "train", channel)
        test, names = load_image_folder(Path(image_dir) / "test", channel)
        train, test, names = train[:train_count], test[:test_count], names[:test_count]
    elif source in ("mnist", "fashion-mnist"):
        from mfdnn import data

        train_set = data.load(source, "train").subset(slice(0, train_count))
        test_set = data.load(source, "test").subset(slice(0, test_count or 100))
        train = list(train_set.float01())
        test = list(test_set.float01())
        names = [f"{source}-test-{i}" for i in range(len(test))]
    elif source in BENCHMARKS:
        train = benchmark_images("bsd400", channel)[0][:train_count]
        test, names = benchmark_images(source, channel)
        test, names = test[:test_count], names[:test_count]
    else:
        raise DataError(f"unknown image source '{source}'; choose from {', '.join(SOURCES)}")
    return ImageSplit(source, train, test, names)


def random_dihedral(x: Tensor, generator: torch.Generator | None = None) -> Tensor:
    """Each square image of ``x`` (B x C x p x p) under one of the 8 flips/90-degree rotations.

    Three independent coin flips (transpose, flip rows, flip columns) reach all 8 elements of
    the dihedral group of the square, each with probability 1/8.
    """
    coins = torch.rand(3, x.shape[0], 1, 1, 1, device=x.device, generator=generator) < 0.5
    x = torch.where(coins[0], x.transpose(-1, -2), x)
    x = torch.where(coins[1], x.flip(-2), x)
    return torch.where(coins[2], x.flip(-1), x)


class PatchSampler:
    """Random ``patch_size`` x ``patch_size`` crops of a list of images, drawn on the device.

    The images are kept as one zero-padded tensor ``N x H_max x W_max``; a batch of image
    indices ``idx`` becomes ``B x 1 x p x p`` crops whose corners are uniform over each
    image's own valid positions (the padding is never cropped). Use it as the ``transform``
    of :func:`mfdnn.train.fit` with ``data=(sampler.indices(repeats),)``: every epoch then
    visits each image ``repeats`` times, each time at a fresh random crop.
    """

    def __init__(self, images: list[Tensor], patch_size: int, device: torch.device | str,
                 augment: bool = True) -> None:
        sizes = torch.tensor([img.shape[-2:] for img in images])
        if (sizes < patch_size).any():
            small = sizes.min(0).values.tolist()
            raise DataError(f"patch size {patch_size} exceeds an image of size {small}; "
                            "lower patch_size")
        H, W = sizes.max(0).values.tolist()
        stack = torch.zeros(len(images), H, W)
        for i, img in enumerate(images):
            stack[i, : img.shape[-2], : img.shape[-1]] = img[0]
        self.stack = stack.to(device)
        self.sizes = sizes.to(device)
        self.patch_size = patch_size
        self.augment = augment
        self.offsets = torch.arange(patch_size, device=device)

    def indices(self, repeats: int = 1) -> Tensor:
        """The "data set" of image indices, each image ``repeats`` times."""
        return torch.arange(len(self.stack), device=self.stack.device).repeat(repeats)

    def __call__(self, idx: Tensor, generator: torch.Generator | None = None) -> Tensor:
        p = self.patch_size
        room = (self.sizes[idx] - p + 1).float()  # number of valid corners per axis
        corner = (torch.rand(len(idx), 2, device=idx.device, generator=generator) * room).long()
        rows = corner[:, 0, None, None] + self.offsets[None, :, None]
        cols = corner[:, 1, None, None] + self.offsets[None, None, :]
        patches = self.stack[idx[:, None, None], rows, cols][:, None]
        return random_dihedral(patches, generator) if self.augment else patches
