"""``--set key=value`` is parsed against the config dataclass's field types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pytest

from mfdnn.errors import ConfigError
from mfdnn.experiments.core.config import apply_overrides


@dataclass
class Cfg:
    lr: float = 0.1
    epochs: int = 10
    shuffle: bool = True
    layout: Literal["text", "official"] = "text"
    train_size: int | None = None
    lrs: tuple[float, ...] = (0.01, 0.3)
    name: str = "x"


def test_each_type_is_parsed():
    cfg = apply_overrides(Cfg(), ["lr=0.05", "epochs=3", "shuffle=false", "layout=official",
                                  "train_size=100", "lrs=1,2.5", "name=abc"])
    assert cfg == Cfg(0.05, 3, False, "official", 100, (1.0, 2.5), "abc")
    assert apply_overrides(cfg, ["train_size=none"]).train_size is None


@pytest.mark.parametrize("pair, message", [
    ("no_such_key=1", "'no_such_key' is not a setting of demo; valid keys: lr, epochs"),
    ("lr=abc", "lr expects float, got 'abc'"),
    ("epochs=1.5", "epochs expects int"),
    ("shuffle=maybe", "shuffle expects bool"),
    ("layout=other", "layout expects one of 'text', 'official'"),
    ("train_size=ten", "train_size expects int or none"),
    ("lr", "expected key=value"),
])
def test_bad_overrides_are_config_errors(pair, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        apply_overrides(Cfg(), [pair], "demo")
