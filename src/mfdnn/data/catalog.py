"""What each image data set consists of: its files, their SHA-256 sums, and where to get them.

A data set is a handful of files in the cache (``<cache>/<name>/<file>``). Each file has the
SHA-256 of its raw (uncompressed) bytes where we know it. The official downloads are
archives (``.gz`` per IDX file, one ``.tar.gz`` for CIFAR-10) with SHA-256 sums of their own.
A file whose raw sum we do not know (KMNIST, CIFAR-10) enters the cache only out of a
verified archive; its sum is then recorded in ``<cache>/<name>/SHA256SUMS``.

The image benchmarks of denoising and super-resolution (BSD400 for training, BSD68 and Set12
for denoising, Set5 and Set14 for super-resolution) have no archive: each image is its own
download, from the DnCNN authors' repository at a fixed commit, with its SHA-256 listed in
``mfdnn/data/sums/<name>.sha256``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources


@dataclass(frozen=True)
class FileSpec:
    name: str  # file name in the cache, e.g. "train-images-idx3-ubyte"
    sha256: str | None  # of the raw bytes; None where only the archive's sum is known
    urls: tuple[str, ...] = ()  # where the raw file itself is published (no archive)


@dataclass(frozen=True)
class Archive:
    filename: str  # e.g. "train-images-idx3-ubyte.gz"
    sha256: str
    urls: tuple[str, ...]
    members: dict[str, str]  # path inside a tar archive -> cache file name; {"": name} for .gz


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    description: str
    format: str  # "idx", "cifar" or "images" (one image file per FileSpec)
    files: tuple[FileSpec, ...]
    archives: tuple[Archive, ...]
    splits: dict[str, tuple[str, ...]]  # split -> (images file, labels file) or batch files
    channels: tuple[str, ...] = ()  # package channels that carry the files: "npm", "debian"
    classes: tuple[str, ...] = field(default=())

    def file(self, name: str) -> FileSpec:
        return next(f for f in self.files if f.name == name)


def _idx_archives(base_urls: tuple[str, ...], gz_sums: dict[str, str]) -> tuple[Archive, ...]:
    return tuple(
        Archive(
            filename=f"{name}.gz",
            sha256=digest,
            urls=tuple(f"{base}{name}.gz" for base in base_urls),
            members={"": name},
        )
        for name, digest in gz_sums.items()
    )


_IDX_SPLITS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

MNIST = DatasetSpec(
    name="mnist",
    description="MNIST handwritten digits, 60k train / 10k test, 1x28x28",
    format="idx",
    files=(
        FileSpec(
            "train-images-idx3-ubyte",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ),
        FileSpec(
            "train-labels-idx1-ubyte",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ),
        FileSpec(
            "t10k-images-idx3-ubyte",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ),
        FileSpec(
            "t10k-labels-idx1-ubyte",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ),
    ),
    archives=_idx_archives(
        ("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"),
        {
            "train-images-idx3-ubyte": (
                "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
            ),
            "train-labels-idx1-ubyte": (
                "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
            ),
            "t10k-images-idx3-ubyte": (
                "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
            ),
            "t10k-labels-idx1-ubyte": (
                "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
            ),
        },
    ),
    splits=_IDX_SPLITS,
    channels=("npm",),
    classes=tuple(str(d) for d in range(10)),
)

FASHION_MNIST = DatasetSpec(
    name="fashion-mnist",
    description="Fashion-MNIST clothing images, 60k train / 10k test, 1x28x28",
    format="idx",
    files=(
        FileSpec(
            "train-images-idx3-ubyte",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ),
        FileSpec(
            "train-labels-idx1-ubyte",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ),
        FileSpec(
            "t10k-images-idx3-ubyte",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ),
        FileSpec(
            "t10k-labels-idx1-ubyte",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        ),
    ),
    archives=_idx_archives(
        (
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
        ),
        {
            "train-images-idx3-ubyte": (
                "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
            ),
            "train-labels-idx1-ubyte": (
                "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
            ),
            "t10k-images-idx3-ubyte": (
                "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
            ),
            "t10k-labels-idx1-ubyte": (
                "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
            ),
        },
    ),
    splits=_IDX_SPLITS,
    channels=("debian",),
    classes=(
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ),
)

KMNIST = DatasetSpec(
    name="kmnist",
    description="Kuzushiji-MNIST cursive Japanese characters, 60k train / 10k test, 1x28x28",
    format="idx",
    files=tuple(FileSpec(name, None) for pair in _IDX_SPLITS.values() for name in pair),
    archives=_idx_archives(
        ("http://codh.rois.ac.jp/kmnist/dataset/kmnist/",),
        {
            "train-images-idx3-ubyte": (
                "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4"
            ),
            "train-labels-idx1-ubyte": (
                "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17"
            ),
            "t10k-images-idx3-ubyte": (
                "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5"
            ),
            "t10k-labels-idx1-ubyte": (
                "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c"
            ),
        },
    ),
    splits=_IDX_SPLITS,
    classes=("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
)

_CIFAR_BATCHES = tuple(f"data_batch_{i}.bin" for i in range(1, 6)) + ("test_batch.bin",)

CIFAR10 = DatasetSpec(
    name="cifar10",
    description="CIFAR-10 natural images, 50k train / 10k test, 3x32x32 (binary release)",
    format="cifar",
    files=tuple(FileSpec(name, None) for name in _CIFAR_BATCHES),
    archives=(
        Archive(
            filename="cifar-10-binary.tar.gz",
            sha256="c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
            urls=("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",),
            members={f"cifar-10-batches-bin/{name}": name for name in _CIFAR_BATCHES},
        ),
    ),
    splits={"train": _CIFAR_BATCHES[:5], "test": ("test_batch.bin",)},
    classes=(
        "airplane", "automobile", "bird", "cat", "deer",
        "dog", "frog", "horse", "ship", "truck",
    ),
)

# The DnCNN authors' repository (Zhang et al. 2017) at a fixed commit: its data/Train400 is
# the 400 BSD training images of the paper (180 x 180, grey) and testsets/ holds the test sets.
DNCNN_COMMIT = "e93b27812d3ff523a3a79d19e5e50d233d7a8d0a"
DNCNN_FILES = f"https://raw.githubusercontent.com/cszn/DnCNN/{DNCNN_COMMIT}/"


def _image_set(name: str, description: str, folder: str, split: str) -> DatasetSpec:
    """An image benchmark whose files are listed with their sums in ``sums/<name>.sha256``."""
    listing = resources.files("mfdnn.data").joinpath("sums", f"{name}.sha256").read_text()
    pairs = [line.split("  ", 1) for line in listing.splitlines() if line.strip()]
    files = tuple(FileSpec(file, digest, urls=(f"{DNCNN_FILES}{folder}/{file}",))
                  for digest, file in pairs)
    return DatasetSpec(name=name, description=description, format="images", files=files,
                       archives=(), splits={split: tuple(f.name for f in files)})


BSD400 = _image_set("bsd400", "BSD400: the 400 grey 180x180 training images of DnCNN",
                    "TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400", "train")
BSD68 = _image_set("bsd68", "BSD68: 68 grey test images of the Berkeley Segmentation Data Set",
                   "testsets/BSD68", "test")
SET12 = _image_set("set12", "Set12: 12 classic grey test images (denoising)",
                   "testsets/Set12", "test")
SET5 = _image_set("set5", "Set5: 5 colour test images (super-resolution)", "testsets/Set5",
                  "test")
SET14 = _image_set("set14", "Set14: 14 colour test images (super-resolution)",
                   "testsets/Set14", "test")
IMAGE_BENCHMARKS = (BSD400, BSD68, SET12, SET5, SET14)

DATASETS: dict[str, DatasetSpec] = {
    d.name: d for d in (MNIST, FASHION_MNIST, KMNIST, CIFAR10, *IMAGE_BENCHMARKS)}
