"""The source chain: verified cache hits, corrupt files re-fetched or reported, never used."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import multiprocessing
import tarfile
from pathlib import Path

import numpy as np
import pytest

from mfdnn.data.catalog import Archive, DatasetSpec, FileSpec
from mfdnn.data.idx import encode_idx
from mfdnn.data.sources import (
    SUMS,
    Source,
    SourceUnavailable,
    check_cache,
    collect_from_folder,
    ensure,
)
from mfdnn.errors import DataError


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


IMAGES = encode_idx(np.arange(2 * 28 * 28, dtype=np.uint64).astype(np.uint8).reshape(2, 28, 28))
LABELS = encode_idx(np.array([3, 7], dtype=np.uint8))


def tiny_spec(known_raw: bool = True) -> DatasetSpec:
    """A two-file IDX data set whose raw sums are known (like MNIST) or not (like KMNIST)."""
    files = {"img": IMAGES, "lab": LABELS}
    return DatasetSpec(
        name="tiny", description="test", format="idx",
        files=tuple(FileSpec(n, sha(b) if known_raw else None) for n, b in files.items()),
        archives=tuple(Archive(f"{n}.gz", sha(gzip.compress(b, mtime=0)),
                               (f"http://invalid.example/{n}.gz",), {"": n})
                       for n, b in files.items()),
        splits={"train": ("img", "lab")},
    )


def folder_with(path: Path, raw: bool = False, gz: bool = False, corrupt: str = "") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, body in (("img", IMAGES), ("lab", LABELS)):
        if name == corrupt:
            body = body[:-1] + b"\xff"
        if raw:
            (path / name).write_bytes(body)
        if gz:
            (path / f"{name}.gz").write_bytes(gzip.compress(body, mtime=0))
    return path


def test_fetches_raw_files_from_a_user_folder_then_hits_the_cache(cache, tmp_path):
    spec = tiny_spec()
    folder = ensure(spec, folder_with(tmp_path / "user", raw=True), root=cache)
    assert (folder / "img").read_bytes() == IMAGES
    assert set(check_cache(spec, folder).values()) == {"ok"}
    assert ensure(spec, None, root=cache, sources=[]) == folder  # no source needed now


def test_gzipped_official_archives_are_verified_and_unpacked(cache, tmp_path):
    spec = tiny_spec(known_raw=False)
    folder = ensure(spec, folder_with(tmp_path / "user", gz=True), root=cache)
    assert (folder / "lab").read_bytes() == LABELS
    assert f"{sha(LABELS)}  lab" in (folder / SUMS).read_text()


def test_raw_file_with_unknown_checksum_is_refused(cache, tmp_path):
    spec = tiny_spec(known_raw=False)
    with pytest.raises(DataError, match="no known checksum"):
        ensure(spec, folder_with(tmp_path / "user", raw=True), root=cache)
    assert not (cache / "tiny" / "img").exists()


def test_corrupt_cached_file_is_detected_and_fetched_again(cache, tmp_path):
    spec = tiny_spec()
    folder = ensure(spec, folder_with(tmp_path / "user", raw=True), root=cache)
    (folder / "img").write_bytes(IMAGES[:-1] + b"\x00")
    assert check_cache(spec, folder)["img"] == "corrupt"
    logged = []
    ensure(spec, tmp_path / "user", root=cache, log=logged.append)
    assert (folder / "img").read_bytes() == IMAGES
    assert any("corrupt" in line for line in logged)


def test_corrupt_cache_without_a_source_is_reported_and_removed(cache, tmp_path):
    spec = tiny_spec()
    folder = ensure(spec, folder_with(tmp_path / "user", raw=True), root=cache)
    (folder / "lab").write_bytes(b"garbage")
    with pytest.raises(DataError) as info:
        ensure(spec, None, root=cache)
    message = str(info.value)
    assert "lab: corrupt" in message and "official download" in message
    assert "mfdnn data fetch tiny --from" in message and "\n" not in message
    assert not (folder / "lab").exists()  # never left in place to be used


def test_a_corrupt_source_is_skipped_for_the_next_one(cache, tmp_path):
    spec = tiny_spec()
    bad = folder_with(tmp_path / "bad", raw=True, corrupt="img")
    good = folder_with(tmp_path / "good", raw=True)
    sources = [Source("bad", lambda s, st: collect_from_folder(s, bad, st)),
               Source("good", lambda s, st: collect_from_folder(s, good, st))]
    folder = ensure(spec, None, root=cache, sources=sources)
    assert (folder / "img").read_bytes() == IMAGES
    assert not list(cache.glob(".tiny.staging-*"))  # staging folders cleaned up


def test_a_source_failing_midway_leaves_the_cache_untouched(cache, tmp_path):
    spec = tiny_spec()

    def half_then_fail(s, staging):
        (staging / "img").write_bytes(IMAGES)
        raise SourceUnavailable("connection reset")

    with pytest.raises(DataError, match="connection reset"):
        ensure(spec, None, root=cache, sources=[Source("flaky", half_then_fail)])
    assert not (cache / "tiny" / "img").exists()


def test_tar_archive_members_are_extracted(cache, tmp_path):
    tarball = tmp_path / "user" / "bundle.tar.gz"
    tarball.parent.mkdir()
    with tarfile.open(tarball, "w:gz") as tar:
        for name, body in (("img", IMAGES), ("lab", LABELS)):
            src = tmp_path / name
            src.write_bytes(body)
            tar.add(src, arcname=f"inner/{name}")
    spec = dataclasses.replace(
        tiny_spec(known_raw=False),
        archives=(Archive("bundle.tar.gz", sha(tarball.read_bytes()), ("http://invalid/",),
                          {"inner/img": "img", "inner/lab": "lab"}),))
    folder = ensure(spec, tarball.parent, root=cache)
    assert (folder / "img").read_bytes() == IMAGES


def _fetch_in_child(root: str, user: str) -> str:
    folder = ensure(tiny_spec(), Path(user), root=Path(root))
    return (folder / "img").read_bytes().hex()


def test_two_processes_fetching_at_once_leave_a_valid_cache(cache, tmp_path):
    user = folder_with(tmp_path / "user", raw=True)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(_fetch_in_child, [(str(cache), str(user))] * 4)
    assert set(results) == {IMAGES.hex()}
    assert set(check_cache(tiny_spec(), cache / "tiny").values()) == {"ok"}


def test_cli_verify_reports_a_corrupt_file_and_fetch_repairs_it(cache, tmp_path, capsys,
                                                                monkeypatch):
    from mfdnn.cli.main import main
    from mfdnn.data import catalog

    spec = tiny_spec()
    monkeypatch.setitem(catalog.DATASETS, "tiny", spec)
    user = folder_with(tmp_path / "user", raw=True)
    assert main(["data", "fetch", "tiny", "--from", str(user)]) == 0
    assert main(["data", "verify", "tiny"]) == 0
    (cache / "tiny" / "lab").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x00")
    assert main(["data", "verify", "tiny"]) == 2
    assert "tiny/lab: corrupt" in capsys.readouterr().out
    assert main(["data", "fetch", "tiny", "--from", str(user)]) == 0
    assert main(["data", "verify", "tiny"]) == 0
