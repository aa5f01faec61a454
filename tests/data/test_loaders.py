"""KMNIST and CIFAR-10 loaders on small files written in the real formats.

The real files cannot be fetched here, so each test writes a tiny release (the official
archive names and layout), points the catalog's archive checksums at it, and loads it
through the same code path a user's download takes.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import tarfile

import numpy as np
import pytest
import torch

from mfdnn import data
from mfdnn.data import catalog
from mfdnn.data.cifar import encode_cifar_batch, parse_cifar_batch
from mfdnn.data.idx import encode_idx
from mfdnn.errors import DataError


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _with_archive_sums(spec, sums):
    archives = tuple(dataclasses.replace(a, sha256=sums[a.filename]) for a in spec.archives)
    return dataclasses.replace(spec, archives=archives)


def test_kmnist_loader_reads_the_official_gz_release(cache, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, 5, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": np.array([9, 0, 4], dtype=np.uint8),
    }
    user = tmp_path / "downloads"
    user.mkdir()
    sums = {}
    for name, array in arrays.items():
        body = gzip.compress(encode_idx(array), mtime=0)
        (user / f"{name}.gz").write_bytes(body)
        sums[f"{name}.gz"] = sha(body)
    monkeypatch.setitem(catalog.DATASETS, "kmnist", _with_archive_sums(catalog.KMNIST, sums))

    test = data.load("kmnist", "test", data_dir=user)
    assert test.images.shape == (3, 1, 28, 28) and test.images.dtype == torch.uint8
    assert test.labels.tolist() == [9, 0, 4]
    np.testing.assert_array_equal(test.images[:, 0].numpy(), arrays["t10k-images-idx3-ubyte"])
    assert test.classes[0] == "o"
    assert data.load("kmnist", "train", data_dir=user).images.shape == (5, 1, 28, 28)
    assert 0.0 <= test.float01().min() and test.float01().max() <= 1.0


def test_kmnist_archive_with_wrong_checksum_is_refused(cache, tmp_path, monkeypatch):
    user = tmp_path / "downloads"
    user.mkdir()
    for a in catalog.KMNIST.archives:
        (user / a.filename).write_bytes(gzip.compress(encode_idx(np.zeros((1, 2), np.uint8))))
    with pytest.raises(DataError, match="kmnist"):
        data.load("kmnist", "test", data_dir=user)


def test_cifar10_loader_reads_the_binary_release(cache, tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    batches = {}
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        images = rng.integers(0, 256, (4, 3, 32, 32), dtype=np.uint8)
        labels = rng.integers(0, 10, 4)
        batches[name] = (images, labels)
    user = tmp_path / "downloads"
    user.mkdir()
    tarball = user / "cifar-10-binary.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name, (images, labels) in batches.items():
            src = tmp_path / name
            src.write_bytes(encode_cifar_batch(images, labels))
            tar.add(src, arcname=f"cifar-10-batches-bin/{name}")
    monkeypatch.setitem(catalog.DATASETS, "cifar10", _with_archive_sums(
        catalog.CIFAR10, {"cifar-10-binary.tar.gz": sha(tarball.read_bytes())}))

    train = data.load("cifar10", "train", data_dir=user)
    assert train.images.shape == (20, 3, 32, 32)
    np.testing.assert_array_equal(train.images[4:8].numpy(), batches["data_batch_2.bin"][0])
    test = data.load("cifar10", "test", data_dir=user)
    assert test.labels.tolist() == batches["test_batch.bin"][1].tolist()
    assert test.classes[3] == "cat"


def test_cifar_record_layout_is_label_then_red_green_blue_planes():
    record = bytes([7]) + bytes([1] * 1024 + [2] * 1024 + [3] * 1024)
    images, labels = parse_cifar_batch(record)
    assert labels.tolist() == [7]
    assert images[0, :, 0, 0].tolist() == [1, 2, 3]
    with pytest.raises(DataError, match="not a CIFAR-10 batch"):
        parse_cifar_batch(record[:-1])


def test_unknown_data_set_and_split_name_the_choices(cache):
    with pytest.raises(DataError, match="choose from mnist, fashion-mnist, kmnist, cifar10"):
        data.load("imagenet")
    with pytest.raises(DataError, match="no split 'val'"):
        data.load("mnist", "val")
