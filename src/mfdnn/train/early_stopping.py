"""Early stopping on a validation split, keeping the best weights.

Chapter 3b: stop when the validation loss starts rising. After each epoch the validation
metric is compared with the best so far; training stops once ``patience`` epochs have
passed without an improvement of at least ``min_delta``, and :meth:`EarlyStopping.restore`
puts back the weights of the best epoch. With the training loop::

    stopper = EarlyStopping(patience=5)
    def evaluate(m, epoch):
        record = {f"val_{k}": v for k, v in evaluate_classifier(m, X_val, Y_val).items()}
        stopper.update(m, record)
        return record
    fit(..., evaluate=evaluate, stop_when=stopper)
    stopper.restore(model)

The decision reads only the history, so a resumed run stops where an uninterrupted one
would; the best weights are kept in memory and, if ``path`` is given, in a file beside the
checkpoint so that a resumed run can restore them too.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import torch
from torch import nn

from mfdnn.train.checkpoint import load_checkpoint, save_checkpoint


class EarlyStopping:
    """``stop_when`` for :func:`mfdnn.train.fit`, plus the best weights seen."""

    def __init__(self, patience: int = 5, key: str = "val_loss", mode: str = "min",
                 min_delta: float = 0.0, path: Path | None = None) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be min or max, not {mode!r}")
        self.patience, self.key, self.mode = patience, key, mode
        self.min_delta, self.path = min_delta, path
        self.best_value: float | None = None
        self.best_epoch = 0
        self.best_state: dict[str, Any] | None = None
        self._epochs_seen = 0

    def _better(self, value: float, best: float | None) -> bool:
        if best is None:
            return True
        if self.mode == "min":
            return value < best - self.min_delta
        return value > best + self.min_delta

    def best_of(self, history: list[dict[str, Any]]) -> tuple[int, float | None]:
        """(epoch, value) of the best epoch in ``history`` (epochs count from 1)."""
        best_epoch, best = 0, None
        for i, record in enumerate(history, 1):
            if self._better(record[self.key], best):
                best_epoch, best = i, record[self.key]
        return best_epoch, best

    def update(self, model: nn.Module, record: dict[str, Any]) -> None:
        """Call once per epoch with that epoch's metrics; keeps the weights if best."""
        self._epochs_seen += 1
        if self._better(record[self.key], self.best_value):
            self.best_value, self.best_epoch = record[self.key], self._epochs_seen
            self.best_state = copy.deepcopy(model.state_dict())
            if self.path is not None:
                save_checkpoint(self.path, {"epoch": self.best_epoch, "value": self.best_value,
                                            "model": self.best_state})

    def __call__(self, history: list[dict[str, Any]]) -> bool:
        """True once ``patience`` epochs have passed since the best one."""
        best_epoch, _ = self.best_of(history)
        self._epochs_seen = len(history)
        if self.best_state is None and self.path is not None and Path(self.path).exists():
            saved = load_checkpoint(self.path)  # a resumed run: the best weights are on disk
            self.best_state, self.best_epoch, self.best_value = (
                saved["model"], saved["epoch"], saved["value"])
        return len(history) - best_epoch >= self.patience

    def restore(self, model: nn.Module) -> int:
        """Load the best weights into ``model``; returns the best epoch."""
        if self.best_state is None:
            raise RuntimeError("no epoch has been evaluated yet")
        with torch.no_grad():
            model.load_state_dict(self.best_state)
        return self.best_epoch
