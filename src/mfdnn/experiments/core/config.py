"""Typed ``--set key=value`` overrides of an experiment's config dataclass.

Supported field types: ``bool``, ``int``, ``float``, ``str``, ``Literal[...]`` (the value must
be one of the choices), ``X | None`` (``none`` gives None) and ``tuple[X, ...]``
(comma-separated, e.g. ``lrs=0.01,0.3,4``).
"""

from __future__ import annotations

import dataclasses
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


def field_types(config_cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(config_cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(config_cls)}


def apply_overrides(config: Any, pairs: list[str] | tuple[str, ...], name: str = "") -> Any:
    """Return a copy of ``config`` with each ``key=value`` of ``pairs`` applied, type-checked."""
    types_ = field_types(type(config))
    changes = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep:
            raise ConfigError(f"--set {pair}: expected key=value")
        if key not in types_:
            raise ConfigError(f"--set {pair}: '{key}' is not a setting of {name or 'this config'};"
                              f" valid keys: {', '.join(types_)}")
        try:
            changes[key] = parse_value(text.strip(), types_[key])
        except ValueError:
            raise ConfigError(f"--set {pair}: {key} expects {_type_name(types_[key])}, "
                              f"got '{text}'") from None
    return dataclasses.replace(config, **changes)


def config_dict(config: Any) -> dict[str, Any]:
    """The config as a JSON-ready dict (tuples become lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in vars(config).items()}
