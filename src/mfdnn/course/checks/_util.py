"""Small helpers shared by the homework checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from mfdnn.course.checker import CheckFailed


def require(condition: Any, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def attr(module: Any, name: str) -> Any:
    """``module.name``, or a clear failure naming what the file must define."""
    if not hasattr(module, name):
        raise CheckFailed(f"{module.__file__.rsplit('/', 1)[-1]} defines no '{name}'")
    return getattr(module, name)


def close(got: Any, want: Any, what: str, *, atol: float = 1e-10, rtol: float = 1e-8) -> None:
    """Raise unless ``got`` and ``want`` have the same shape and agree to the tolerance."""
    try:
        g = np.asarray(got.detach().cpu() if hasattr(got, "detach") else got, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what}: expected numbers, got {type(got).__name__}") from None
    w = np.asarray(want.detach().cpu() if hasattr(want, "detach") else want, dtype=float)
    if g.shape != w.shape:
        raise CheckFailed(f"{what}: shape {g.shape}, expected {w.shape}")
    if not np.array_equal(np.isfinite(g), np.isfinite(w)):
        raise CheckFailed(f"{what}: finite / non-finite entries differ from the reference")
    fin = np.isfinite(w)
    if not np.allclose(g[fin], w[fin], atol=atol, rtol=rtol):
        err = float(np.max(np.abs(g[fin] - w[fin])))
        raise CheckFailed(f"{what}: differs from the reference by up to {err:.3g} "
                          f"(tolerance {atol:g} + {rtol:g}*|value|)")
