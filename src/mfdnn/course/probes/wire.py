"""The wire format between the judge and the jail: data only, one JSON document per message.

Values are ``None``, ``bool``, ``int``, ``float`` (``NaN`` and ``Infinity`` allowed), ``str``,
lists and objects with string keys; an array is the object

    {"$array": [dtype, shape, base64 of its little-endian bytes]},  dtype in f8 | i8 | b1

so a 100,000-entry vector costs about 1 MB, not a nested list. :func:`encode` turns NumPy
arrays, PyTorch tensors and NumPy scalars into that form and refuses anything else (an object
dtype, a subclass it cannot reduce, a custom class). :func:`decode` is what the judge trusts:
it checks sizes, depth, types and array lengths and builds fresh base-class ``np.ndarray``
objects with explicit constructors; anything else raises :class:`WireError`. No pickle, no
``torch.load``, no ``__array__`` of a foreign object on the judge's side.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

import numpy as np

ARRAY = "$array"
DTYPES = {"f8": np.dtype("<f8"), "i8": np.dtype("<i8"), "b1": np.dtype("|u1")}
MAX_DEPTH = 32
MAX_ELEMENTS = 20_000_000  # entries of one array
MAX_ITEMS = 1_000_000  # list items and object keys in one message
MAX_STRING = 100_000  # characters of one string
MAX_NDIM = 8


class WireError(ValueError):
    """A message that is not valid data of this format (one line)."""


def _array_code(a: np.ndarray) -> tuple[str, np.ndarray]:
    kind = a.dtype.kind
    if kind == "b":
        return "b1", a.astype(np.uint8)
    if kind in "iu":
        if kind == "u" and a.size and a.max() > np.iinfo(np.int64).max:
            raise TypeError("unsigned integers beyond int64")
        return "i8", a.astype("<i8")
    if kind == "f":
        return "f8", a.astype("<f8")
    raise TypeError(f"arrays of dtype {a.dtype} cannot be sent")


def _plain(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise TypeError("data nested too deeply")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return int(value) if isinstance(value, int) else float(value)
    if isinstance(value, np.generic):
        return _plain(value.item(), depth)
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        code, data = _array_code(np.array(value, order="C"))  # keeps 0-d arrays 0-d
        return {ARRAY: [code, list(data.shape), base64.b64encode(data.tobytes()).decode()]}
    if isinstance(value, list | tuple):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"object keys must be strings, not {type(k).__name__}")
            out[k] = _plain(v, depth + 1)
        return out
    raise TypeError(f"values of type {type(value).__name__} cannot be sent")


def encode(value: Any) -> bytes:
    """The JSON bytes of ``value`` (arrays and tensors as base64 buffers)."""
    return json.dumps(_plain(value, 0), separators=(",", ":")).encode()


def _array(spec: Any) -> np.ndarray:
    if not (isinstance(spec, list) and len(spec) == 3):
        raise WireError("an array must be [dtype, shape, data]")
    code, shape, data = spec
    if not isinstance(code, str) or code not in DTYPES:
        raise WireError(f"array dtype {str(code)[:20]!r} is not one of {', '.join(DTYPES)}")
    if (not isinstance(shape, list) or len(shape) > MAX_NDIM
            or not all(type(d) is int and 0 <= d <= MAX_ELEMENTS for d in shape)):
        raise WireError("array shape must be a list of at most 8 sizes")
    size = math.prod(shape)
    if size > MAX_ELEMENTS:
        raise WireError(f"array of {size} entries (at most {MAX_ELEMENTS})")
    if not isinstance(data, str):
        raise WireError("array data must be a base64 string")
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise WireError("array data is not base64") from None
    dtype = DTYPES[code]
    if len(raw) != size * dtype.itemsize:
        raise WireError(f"array data holds {len(raw)} bytes, its shape needs "
                        f"{size * dtype.itemsize}")
    out = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if code == "b1":
        if out.size and out.max() > 1:
            raise WireError("boolean array with entries other than 0 and 1")
        return out.astype(np.bool_)
    return out.astype(np.float64 if code == "f8" else np.int64)


class _Budget:
    def __init__(self) -> None:
        self.items = 0

    def spend(self, n: int) -> None:
        self.items += n
        if self.items > MAX_ITEMS:
            raise WireError(f"more than {MAX_ITEMS} values in one message")


def _check(value: Any, depth: int, budget: _Budget) -> Any:
    if depth > MAX_DEPTH:
        raise WireError(f"data nested more than {MAX_DEPTH} levels deep")
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is float:
        return value
    if kind is str:
        if len(value) > MAX_STRING:
            raise WireError(f"a string of {len(value)} characters (at most {MAX_STRING})")
        return value
    if kind is list:
        budget.spend(len(value))
        return [_check(v, depth + 1, budget) for v in value]
    if kind is dict:
        budget.spend(len(value))
        if ARRAY in value:
            if len(value) != 1:
                raise WireError("an array object has one key")
            return _array(value[ARRAY])
        return {str(k): _check(v, depth + 1, budget) for k, v in value.items()}
    raise WireError(f"unexpected {kind.__name__}")


def decode(data: bytes, max_bytes: int) -> Any:
    """The value in ``data``, validated; :class:`WireError` if it is not this format."""
    if len(data) > max_bytes:
        raise WireError(f"{len(data)} bytes (at most {max_bytes})")
    try:
        text = data.decode("utf-8")
        value = json.loads(text)
    except UnicodeDecodeError:
        raise WireError("not UTF-8 text") from None
    except RecursionError:
        raise WireError("data nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, or an integer with too many digits
        raise WireError(f"not JSON ({str(exc)[:80]})") from None
    return _check(value, 0, _Budget())
