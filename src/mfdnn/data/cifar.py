"""The binary CIFAR-10 format (``cifar-10-binary.tar.gz``).

Each batch file is a sequence of 3073-byte records: one label byte (0-9), then the
3 x 32 x 32 image as 1024 red, 1024 green and 1024 blue bytes in row-major order.
The training set is ``data_batch_1.bin`` ... ``data_batch_5.bin`` (10,000 records each),
the test set ``test_batch.bin``. (We read the binary release rather than the Python one:
the Python release is a pickle, and unpickling a downloaded file can run code.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mfdnn.errors import DataError

RECORD = 1 + 3 * 32 * 32


def parse_cifar_batch(data: bytes, source: str = "<bytes>") -> tuple[np.ndarray, np.ndarray]:
    """Decode one batch file into (images uint8 N x 3 x 32 x 32, labels int64 N)."""
    if len(data) == 0 or len(data) % RECORD:
        raise DataError(f"{source}: not a CIFAR-10 batch ({len(data)} bytes, not k * {RECORD})")
    records = np.frombuffer(data, dtype=np.uint8).reshape(-1, RECORD)
    labels = records[:, 0].astype(np.int64)
    if labels.max() > 9:
        raise DataError(f"{source}: CIFAR-10 label out of range 0-9")
    images = records[:, 1:].reshape(-1, 3, 32, 32).copy()
    return images, labels


def read_cifar_batches(paths: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    """Read and concatenate several batch files, in the given order."""
    parts = [parse_cifar_batch(Path(p).read_bytes(), str(p)) for p in paths]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def encode_cifar_batch(images: np.ndarray, labels: np.ndarray) -> bytes:
    """Encode (N x 3 x 32 x 32 uint8, N labels) as a batch file (the inverse of the parser)."""
    images = np.asarray(images, dtype=np.uint8).reshape(len(labels), -1)
    labels = np.asarray(labels, dtype=np.uint8).reshape(-1, 1)
    return np.concatenate([labels, images], axis=1).tobytes()
