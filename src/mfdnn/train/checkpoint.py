"""Atomic checkpoints: the whole training state in one file, replaced only when complete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from mfdnn.data.files import atomic_write
from mfdnn.errors import MfdnnError


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    with atomic_write(Path(path)) as f:
        torch.save(state, f)


def load_checkpoint(path: Path) -> dict[str, Any]:
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # a truncated or foreign file
        raise MfdnnError(f"cannot read checkpoint {path}: {exc}; delete it to start over") from None
