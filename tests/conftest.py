"""Shared fixtures. Tests run on the CPU with tiny data; none asserts on wall time."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty, private data cache (``$MFDNN_DATA``) with downloads switched off."""
    root = tmp_path / "cache"
    monkeypatch.setenv("MFDNN_DATA", str(root))
    monkeypatch.setenv("MFDNN_OFFLINE", "1")
    monkeypatch.delenv("MFDNN_DATA_DIR", raising=False)
    from mfdnn.data import _load

    _load.cache_clear()
    yield root
    _load.cache_clear()
