"""Atomic checkpoints: the whole training state in one file, replaced only when complete."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from mfdnn.data.files import atomic_write
from mfdnn.errors import MfdnnError


@dataclass(frozen=True)
class Checkpoint:
    """Where :func:`mfdnn.train.fit` keeps its state after every epoch, and whether it
    continues from it. ``fingerprint`` (e.g. the config as JSON) must match the file's to
    resume, so a run never continues another configuration's training."""

    path: Path
    fingerprint: str = ""
    resume: bool = False


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    with atomic_write(Path(path)) as f:
        torch.save(state, f)


def load_checkpoint(path: Path) -> dict[str, Any]:
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # a truncated or foreign file
        raise MfdnnError(f"cannot read checkpoint {path}: {exc}; delete it to start over") from None
