"""Helpers of the verdicts (judge side): read a probe's answer strictly, compare with oracles.

The readers (:func:`field`, :func:`array`, :func:`number`, ...) accept only what the honest
probe sends (decoded by :func:`mfdnn.course.probes.wire.decode`: plain values and base-class
arrays) and raise :class:`Malformed` for anything else. The comparisons raise
:class:`CheckFailed` with one line that names the first differing entry.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mfdnn.course.checker import CheckFailed, Malformed
from mfdnn.course.safe_text import clean_line

__all__ = ["CheckFailed", "Malformed", "array", "close", "field", "flag", "integer", "items",
           "number", "require", "shown", "text", "texts", "to_numpy"]


def require(condition: Any, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def field(answer: Any, key: str) -> Any:
    if type(answer) is not dict or key not in answer:
        raise Malformed(f"the answer has no '{key}'")
    return answer[key]


def array(value: Any, what: str, ndim: int | None = None) -> np.ndarray:
    """A float64/int64/bool array as decoded from the wire (never a foreign object)."""
    if type(value) is not np.ndarray:
        raise Malformed(f"{what}: expected an array")
    if ndim is not None and value.ndim != ndim:
        raise CheckFailed(f"{what}: {value.ndim}-dimensional, expected {ndim} dimensions")
    return value


def number(value: Any, what: str) -> float:
    if type(value) not in (int, float):
        raise Malformed(f"{what}: expected a number")
    return float(value)


def integer(value: Any, what: str) -> int:
    if type(value) is not int:
        raise Malformed(f"{what}: expected an integer")
    return value


def flag(value: Any, what: str) -> bool:
    if type(value) is not bool:
        raise Malformed(f"{what}: expected true or false")
    return value


def text(value: Any, what: str) -> str:
    if type(value) is not str:
        raise Malformed(f"{what}: expected a string")
    return value


def items(value: Any, what: str, n: int | None = None) -> list:
    if type(value) is not list:
        raise Malformed(f"{what}: expected a list")
    if n is not None and len(value) != n:
        raise Malformed(f"{what}: {len(value)} items, the probe sends {n}")
    return value


def texts(value: Any, what: str) -> list[str]:
    return [text(v, what) for v in items(value, what)]


def shown(value: Any, limit: int = 40) -> str:
    """A student-controlled value for a message: repr, cleaned and cut."""
    return clean_line(repr(value), limit)


def to_numpy(value: Any) -> np.ndarray:
    """A judge-side oracle (tensor or array) as float64."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().double().numpy()
    return np.asarray(value, dtype=np.float64)


def close(got: Any, want: Any, what: str, *, atol: float = 1e-10, rtol: float = 1e-8) -> None:
    """Raise unless ``got`` (an answer's array or number) and ``want`` (the oracle) have the
    same shape and agree to ``atol + rtol * |want|``; the message names the first bad entry."""
    if type(got) in (int, float):
        g = np.array(float(got))
    else:
        g = array(got, what).astype(np.float64)
    w = to_numpy(want)
    if g.shape != w.shape:
        raise CheckFailed(f"{what}: shape {g.shape}, expected {w.shape}")
    finite_g, finite_w = np.isfinite(g), np.isfinite(w)
    if not np.array_equal(finite_g, finite_w):
        i = np.unravel_index(np.argmax(finite_g != finite_w), w.shape) if w.ndim else ()
        raise CheckFailed(f"{what}: finite / non-finite entries differ from the reference "
                          f"(first at {_where(i)}: {g[i]:.6g}, expected {w[i]:.6g})")
    with np.errstate(invalid="ignore", over="ignore"):
        bad = finite_w & ~(np.abs(g - w) <= atol + rtol * np.abs(w))
    if bad.any():
        tolerance = f"tolerance {atol:g} + {rtol:g}*|value|"
        if not w.ndim:
            raise CheckFailed(f"{what}: {g:.10g}, expected {w:.10g} ({tolerance})")
        i = np.unravel_index(np.argmax(bad), w.shape)
        err = float(np.max(np.abs(g[finite_w] - w[finite_w]))) if finite_w.any() else 0.0
        raise CheckFailed(f"{what}: entry {_where(i)} is {g[i]:.10g}, expected {w[i]:.10g} "
                          f"(differs by up to {err:.3g}; {tolerance})")


def _where(index: tuple) -> str:
    return "[" + ", ".join(str(int(k)) for k in index) + "]" if index else "[]"
