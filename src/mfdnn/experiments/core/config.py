"""Typed ``--set key=value`` overrides of an experiment's config dataclass.

Supported field types: ``bool``, ``int``, ``float``, ``str``, ``Literal[...]`` (the value must
be one of the choices), ``X | None`` (``none`` gives None) and ``tuple[X, ...]``
(comma-separated, e.g. ``lrs=0.01,0.3,4``).

Values are checked for range as well as type, by the field's name (every item of a tuple,
by the singular of its name), so the same rule holds for every experiment:

* counts and sizes are at least 1 (positive where the field is a float, e.g. a width
  multiplier): ``epochs``, ``batch_size``, ``size``, ``n``, ``width``,
  ``depth`` ... and names ending ``_epochs``, ``_size``, ``_count``, ``_samples``, ``_every``,
  ``_dim`` or ``_channels`` or starting ``n_`` / ``num_``;
* step counts are not negative: ``iterations``, ``steps`` and names ending in them;
* learning rates and noise levels are positive: ``lr``, names ending ``_lr``, ``sigma``,
  ``lr_gamma``, ``time_budget_minutes``; weight decay is not negative;
* probabilities lie in [0, 1]: ``p`` and ``q`` (floats), ``dropout``, ``momentum``,
  ``label_smoothing``, ``confidence``, ``target_accuracy`` and names ending ``_rate``,
  ``_fraction`` or ``_prob``.

A field can state its own range instead: ``field(default=..., metadata={"range": (lo, hi)})``
(either end None for no bound).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import types
import typing
from typing import Any, Literal, get_args, get_origin

from mfdnn.errors import ConfigError

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp))
    if origin is tuple:
        return f"comma-separated {_type_name(get_args(tp)[0])}s"
    return "none" if tp is type(None) else getattr(tp, "__name__", str(tp))


def parse_value(text: str, tp: Any) -> Any:
    """Convert ``text`` to type ``tp``; raise ValueError if it does not fit."""
    origin = get_origin(tp)
    if origin is Literal:
        for choice in get_args(tp):
            if str(choice) == text:
                return choice
        raise ValueError
    if origin in (typing.Union, types.UnionType):
        args = get_args(tp)
        if type(None) in args and text.lower() in ("none", "null"):
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return parse_value(text, arg)
            except ValueError:
                pass
        raise ValueError
    if origin is tuple:
        item = get_args(tp)[0]
        return tuple(parse_value(part.strip(), item) for part in text.split(",") if part.strip())
    if tp is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError
    if tp is int:
        return int(text)
    if tp is float:
        return float(text)
    if tp is str:
        return text
    raise ValueError


_AT_LEAST_ONE = {"epochs", "batch_size", "batch", "size", "n", "width", "depth", "hidden",
                 "channels", "latent", "starts", "runs", "repeats", "coupling", "layers",
                 "levels", "features", "grid", "images", "cardinality", "d", "r", "scale"}
_AT_LEAST_ONE_ENDS = ("_epochs", "_size", "_count", "_samples", "_every", "_dim", "_channels",
                      "_num")
_STEPS = {"iterations", "steps"}
_POSITIVE = {"lr", "sigma", "lr_gamma", "time_budget_minutes", "initial_step"}
_PROBABILITY = {"dropout", "momentum", "label_smoothing", "confidence", "target_accuracy"}
_PROBABILITY_ENDS = ("_rate", "_fraction", "_prob")


def value_range(name: str, tp: Any, metadata: Any = None) -> tuple[float | None, float | None,
                                                                   bool]:
    """(low, high, low_exclusive) allowed for field ``name`` of type ``tp``; None: no bound."""
    if metadata and "range" in metadata:
        low, high = metadata["range"]
        return low, high, False
    base = name[:-1] if get_origin(tp) is tuple and name.endswith("s") else name
    if base in _AT_LEAST_ONE or base.endswith(_AT_LEAST_ONE_ENDS) or base.startswith(
            ("n_", "num_")):
        return (1, None, False) if _numeric(tp) is int else (0, None, True)  # a float: a scale
    if base in _STEPS or base.endswith(tuple(f"_{s}" for s in _STEPS)):
        return 0, None, False
    if base in _POSITIVE or base.endswith("_lr"):
        return 0, None, True
    if base == "weight_decay" or base.endswith("_weight_decay"):
        return 0, None, False
    if (base in _PROBABILITY or base.endswith(_PROBABILITY_ENDS)
            or (base in ("p", "q") and _numeric(tp) is float)):
        return 0, 1, False
    return None, None, False


def _numeric(tp: Any) -> type | None:
    """int or float where ``tp`` is one (or an optional one, or a tuple of them)."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType, tuple):
        found = {_numeric(a) for a in get_args(tp) if a is not type(None) and a is not ...}
        return found.pop() if len(found) == 1 else None
    return tp if tp in (int, float) else None


def check_range(key: str, value: Any, tp: Any, metadata: Any = None) -> None:
    """Raise ValueError naming the bound when ``value`` lies outside ``key``'s range."""
    if _numeric(tp) is None:
        return
    low, high, exclusive = value_range(key, tp, metadata)
    for item in value if isinstance(value, tuple) else (value,):
        if item is None or isinstance(item, bool):
            continue
        if not math.isfinite(item):
            raise ValueError("must be a finite number")
        if low is not None and (item <= low if exclusive else item < low):
            raise ValueError(f"must be {'>' if exclusive else '>='} {low}")
        if high is not None and item > high:
            raise ValueError(f"must be <= {high}")


def did_you_mean(name: str, choices: Any) -> str:
    """`` (did you mean 'a' or 'b'?)`` for the closest of ``choices``, or nothing."""
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"


def field_types(config_cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(config_cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(config_cls)}


def apply_overrides(config: Any, pairs: list[str] | tuple[str, ...], name: str = "") -> Any:
    """Return a copy of ``config`` with each ``key=value`` of ``pairs`` applied, type-checked."""
    types_ = field_types(type(config))
    metadata = {f.name: f.metadata for f in dataclasses.fields(config)}
    changes = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep:
            raise ConfigError(f"--set {pair}: expected key=value")
        if key not in types_:
            raise ConfigError(f"--set {pair}: '{key}' is not a setting of {name or 'this config'}"
                              f"{did_you_mean(key, types_)}; valid keys: {', '.join(types_)}")
        try:
            changes[key] = parse_value(text.strip(), types_[key])
        except (ValueError, OverflowError):
            raise ConfigError(f"--set {pair}: {key} expects {_type_name(types_[key])}, "
                              f"got '{text}'") from None
        try:
            check_range(key, changes[key], types_[key], metadata[key])
        except ValueError as exc:
            raise ConfigError(f"--set {pair}: {key} {exc}") from None
    return dataclasses.replace(config, **changes)


def config_dict(config: Any) -> dict[str, Any]:
    """The config as a JSON-ready dict (tuples become lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in vars(config).items()}
