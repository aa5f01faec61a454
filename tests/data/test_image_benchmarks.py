"""The image benchmarks (BSD400, BSD68, Set12, Set5, Set14): catalogue entries and loaders,
tested on small image files the tests write in the real formats (PNG, BMP)."""

from __future__ import annotations

import hashlib
import io as bytes_io
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from mfdnn import data
from mfdnn.data import catalog, sources
from mfdnn.data.catalog import DNCNN_COMMIT, DatasetSpec, FileSpec
from mfdnn.data.natural_images import BENCHMARKS, benchmark_images, load_image_split
from mfdnn.data.sources import ensure, unarchived
from mfdnn.errors import DataError

pytestmark = pytest.mark.hw8

SIZES = {"bsd400": 400, "bsd68": 68, "set12": 12, "set5": 5, "set14": 14}


def encode(array: np.ndarray, fmt: str) -> bytes:
    buf = bytes_io.BytesIO()
    Image.fromarray(array).save(buf, format=fmt)
    return buf.getvalue()


GREY = np.arange(24 * 32, dtype=np.uint32).reshape(24, 32).astype(np.uint8)
RGB = np.stack([GREY, 255 - GREY, np.full_like(GREY, 7)], axis=-1)
FILES = {"a.png": encode(GREY, "PNG"), "b.bmp": encode(RGB, "BMP")}


def tiny_benchmark(name: str = "tinyset") -> DatasetSpec:
    files = tuple(FileSpec(n, hashlib.sha256(b).hexdigest(), urls=(f"http://invalid.example/{n}",))
                  for n, b in FILES.items())
    return DatasetSpec(name=name, description="test", format="images", files=files,
                       archives=(), splits={"test": tuple(FILES)})


def write_files(folder, corrupt: str = ""):
    folder.mkdir(parents=True, exist_ok=True)
    for n, b in FILES.items():
        (folder / n).write_bytes(b[:-1] + b"\x00" if n == corrupt else b)
    return folder


@pytest.mark.parametrize("name", list(SIZES))
def test_catalogue_lists_every_image_with_its_sum_and_pinned_url(name):
    spec = data.spec(name)
    assert spec.format == "images" and len(spec.files) == SIZES[name]
    assert len({f.name for f in spec.files}) == SIZES[name]
    for f in spec.files:
        assert re.fullmatch(r"[0-9a-f]{64}", f.sha256)
        assert len(f.urls) == 1 and f"/cszn/DnCNN/{DNCNN_COMMIT}/" in f.urls[0]
        assert f.urls[0].endswith("/" + f.name)
    assert unarchived(spec) == list(spec.files)
    assert sum(len(v) for v in spec.splits.values()) == SIZES[name]


def test_benchmark_names_are_the_sources_of_the_image_split():
    assert set(BENCHMARKS) == {"bsd68", "set12", "set5", "set14"}


def test_folder_source_verifies_every_image(cache, tmp_path):
    spec = tiny_benchmark()
    folder = ensure(spec, write_files(tmp_path / "mine"))
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "a.png", "b.bmp"]
    assert (folder / "a.png").read_bytes() == FILES["a.png"]


def test_a_corrupt_image_is_refused_and_nothing_is_installed(cache, tmp_path):
    spec = tiny_benchmark()
    with pytest.raises(DataError, match="SHA-256 mismatch"):
        ensure(spec, write_files(tmp_path / "bad", corrupt="b.bmp"))
    assert not (cache / spec.name / "a.png").exists()


def test_a_folder_missing_an_image_names_it(cache, tmp_path):
    spec = tiny_benchmark()
    folder = write_files(tmp_path / "part")
    (folder / "b.bmp").unlink()
    with pytest.raises(DataError, match=r"has no b\.bmp"):
        ensure(spec, folder)


def test_offline_error_is_one_line_naming_the_official_folder(cache):
    with pytest.raises(DataError) as info:
        ensure(data.spec("bsd68"))
    message = str(info.value)
    assert "\n" not in message
    assert "68 of 68 files missing" in message
    assert f"cszn/DnCNN/{DNCNN_COMMIT}/testsets/BSD68/" in message
    assert "mfdnn data fetch bsd68 --from FOLDER" in message


def test_cli_fetch_offline_exits_2_with_one_line(cache):
    done = subprocess.run([sys.executable, "-m", "mfdnn", "data", "fetch", "set12"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "set12" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def tiny_catalogue(cache, tmp_path, monkeypatch):
    """bsd400 and set5 replaced by the two-image set, already fetched into the cache."""
    for name in ("bsd400", "set5"):
        spec = tiny_benchmark(name)
        monkeypatch.setitem(catalog.DATASETS, name, spec)
        ensure(spec, write_files(tmp_path / name))


def test_benchmark_images_are_grey_in_file_order(tiny_catalogue):
    images, names = benchmark_images("set5")
    assert names == ["a.png", "b.bmp"]
    assert [tuple(im.shape) for im in images] == [(1, 24, 32), (1, 24, 32)]
    assert torch.allclose(images[0][0], torch.from_numpy(GREY / 255).float(), atol=1e-6)
    expected = (0.2125 * GREY + 0.7154 * (255 - GREY) + 0.0721 * 7) / 255  # luminance
    assert torch.allclose(images[1][0], torch.from_numpy(expected).float(), atol=1e-4)


def test_image_split_trains_on_bsd400_and_tests_on_the_named_set(tiny_catalogue):
    split = load_image_split("set5", test_count=1)
    assert split.source == "set5" and len(split.train) == 2
    assert split.test_names == ["a.png"] and len(split.test) == 1


def test_benchmark_images_refuses_a_data_set_that_is_not_images(cache):
    with pytest.raises(DataError, match="not an image benchmark"):
        benchmark_images("mnist")


def test_benchmark_available_looks_in_the_cache_and_the_data_dir_but_downloads_nothing(
        cache, tmp_path, monkeypatch):
    from mfdnn.data.natural_images import benchmark_available

    spec = tiny_benchmark("set5")
    monkeypatch.setitem(catalog.DATASETS, "set5", spec)
    monkeypatch.delenv("MFDNN_OFFLINE")

    def no_download(*_):
        raise AssertionError("benchmark_available tried a download")

    monkeypatch.setattr(sources, "collect_official", no_download)
    assert not benchmark_available("set5")
    monkeypatch.setenv("MFDNN_DATA_DIR", str(tmp_path / "shelf"))
    assert not benchmark_available("set5")  # an empty folder
    write_files(tmp_path / "shelf" / "set5")
    assert benchmark_available("set5")
    monkeypatch.delenv("MFDNN_DATA_DIR")
    assert benchmark_available("set5")  # now verified into the cache
