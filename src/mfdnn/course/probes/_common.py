"""Helpers of the probes (jail side; standard library, NumPy and, lazily, PyTorch only).

A probe raises :class:`ProbeFailed` for an answer that cannot even be reported (a missing
function, a result that is not numbers, a wrong tuple): the judge shows its message and
awards nothing. Everything else a probe returns goes to the judge as data.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np


class ProbeFailed(Exception):
    """The student's answer cannot be reported as data (one line)."""


def attr(module: Any, name: str) -> Any:
    """``module.name``, or a clear failure naming what the file must define."""
    if not hasattr(module, name):
        file = str(getattr(module, "__file__", "") or "the file").rsplit("/", 1)[-1]
        raise ProbeFailed(f"{file} defines no '{name}'")
    return getattr(module, name)


def _untorch(value: Any) -> Any:
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
        if hasattr(value, "numpy"):
            return value.numpy()
    return value


def floats(value: Any, what: str) -> np.ndarray:
    """``value`` as a float64 array (any shape); the judge checks the shape."""
    try:
        return np.array(_untorch(value), dtype=np.float64)
    except (TypeError, ValueError, RuntimeError):
        raise ProbeFailed(f"{what}: expected numbers, got {type(value).__name__}") from None


def ints(value: Any, what: str) -> np.ndarray:
    """``value`` as an int64 array (integers only)."""
    a = floats(value, what)
    if not np.all(np.isfinite(a)) or not np.array_equal(a, np.round(a)):
        raise ProbeFailed(f"{what}: expected integers")
    return a.astype(np.int64)


def number(value: Any, what: str) -> float:
    a = floats(value, what)
    if a.size != 1:
        raise ProbeFailed(f"{what}: expected one number, got shape {a.shape}")
    return float(a.reshape(()))


def pair(value: Any, n: int, what: str) -> tuple:
    """A result that must be a tuple or list of ``n`` items."""
    if not (isinstance(value, tuple | list) and len(value) == n):
        raise ProbeFailed(what)
    return tuple(value)


def tensor(a: Any, dtype: str = "float64") -> Any:
    """A fresh torch tensor from an array the judge sent."""
    import torch

    return torch.tensor(np.asarray(a), dtype=getattr(torch, dtype))


def fill_(module: Any, seed: int) -> list[tuple[int, ...]]:
    """Overwrite every parameter of ``module`` (named_parameters order) with seeded uniform
    values U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (0.5 for vectors); return their shapes.

    The judge fills its own copy of the course's architecture the same way, so a student's
    architecture is compared by what it computes, not by what it claims about itself."""
    import torch

    g = torch.Generator().manual_seed(seed)
    shapes = []
    with torch.no_grad():
        for _, p in module.named_parameters():
            shape = tuple(p.shape)
            fan_in = p[0].numel() if p.dim() > 1 else 4
            bound = 1.0 / float(fan_in) ** 0.5
            values = (torch.rand(shape, generator=g, dtype=torch.float64) * 2 - 1) * bound
            p.copy_(values.to(p.dtype))
            shapes.append(shape)
    return shapes


def digest(tensors: list[Any]) -> str:
    """SHA-256 of the float64 bytes of ``tensors`` in order (shapes included)."""
    h = hashlib.sha256()
    for t in tensors:
        a = floats(t, "parameter")  # a fresh C-ordered copy
        h.update(repr(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def shapes_of(module: Any) -> list[list[int]]:
    return [list(p.shape) for _, p in module.named_parameters()]
