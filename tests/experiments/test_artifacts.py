"""The artifact cache ("pretrained if present, else train"): one file per recipe, trained
once, reloaded exactly; a user's own file read with ``weights_only``; bad files stop the run
with one line."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch
from torch import nn

from mfdnn.errors import ConfigError
from mfdnn.experiments.core.artifacts import cached_model, recipe_key
from mfdnn.experiments.core.context import RunContext

RECIPE = {"model": "toy", "epochs": 1, "seed": 0}


def ctx_for(tmp_path) -> RunContext:
    return RunContext("test", "quick", 0, torch.device("cpu"), tmp_path / "out")


class Trainer:
    """A ``train`` callback that counts its calls and moves the weights."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, model: nn.Module) -> dict:
        self.calls += 1
        with torch.no_grad():
            model.weight.add_(torch.randn_like(model.weight))
        return {"accuracy": 0.5, "history": [{"epoch": 1, "loss": 2.0}]}


def build() -> nn.Linear:
    return nn.Linear(3, 2)


def test_trains_once_then_loads_the_same_weights_and_info(tmp_path, cache):
    ctx, train = ctx_for(tmp_path), Trainer()
    first = cached_model(ctx, "toy", RECIPE, build, train)
    second = cached_model(ctx, "toy", RECIPE, build, train)
    assert train.calls == 1 and first.trained_now and not second.trained_now
    assert second.source == first.source == str(
        cache / "artifacts" / "toy" / f"toy-{recipe_key(RECIPE)}.pt")
    assert second.info == first.info == {"accuracy": 0.5, "history": [{"epoch": 1, "loss": 2.0}]}
    for a, b in zip(first.model.parameters(), second.model.parameters(), strict=True):
        assert torch.equal(a, b)
    assert not second.model.training


def test_the_recipe_names_the_file_and_retrain_replaces_it(tmp_path, cache):
    ctx, train = ctx_for(tmp_path), Trainer()
    a = cached_model(ctx, "toy", RECIPE, build, train)
    b = cached_model(ctx, "toy", RECIPE | {"epochs": 2}, build, train)
    c = cached_model(ctx, "toy", RECIPE, build, train, retrain=True)
    assert train.calls == 3 and a.source != b.source and c.source == a.source
    assert recipe_key({"b": 1, "a": 2}) == recipe_key({"a": 2, "b": 1})  # sorted JSON


def test_what_follows_does_not_depend_on_whether_it_trained(tmp_path, cache):
    ctx = ctx_for(tmp_path)
    cached_model(ctx, "toy", RECIPE, build, Trainer())
    after_training = torch.rand(3)
    cached_model(ctx, "toy", RECIPE, build, Trainer())
    assert torch.equal(torch.rand(3), after_training)


@pytest.mark.parametrize("wrap", [lambda s: s, lambda s: {"state_dict": s, "epoch": 3}])
def test_a_user_file_is_loaded_instead_of_the_cache(tmp_path, cache, wrap):
    torch.manual_seed(1)
    theirs = build()
    path = tmp_path / "theirs.pt"
    torch.save(wrap(theirs.state_dict()), path)
    train = Trainer()
    got = cached_model(ctx_for(tmp_path), "toy", RECIPE, build, train, override_path=path)
    assert train.calls == 0 and got.source == str(path) and not got.trained_now
    assert torch.equal(got.model.weight, theirs.weight)
    assert not (cache / "artifacts" / "toy").exists()


class Payload:
    """Unpickling this would need code: ``weights_only`` refuses it."""


@pytest.mark.parametrize("content, fragment", [
    (None, "no such file"),
    (b"not a torch file", "cannot read"),
    ({"other": torch.zeros(1)}, "2 missing (e.g. bias); 1 unexpected (e.g. other)"),
    ({"weight": torch.zeros(5, 5), "bias": torch.zeros(2)}, "1 of another shape (e.g. weight)"),
    ([torch.zeros(1)], "holds a list, not a state dict"),
    ({"weight": Payload()}, "cannot read"),
])
def test_a_bad_user_file_is_one_config_error_line(tmp_path, cache, content, fragment):
    path = tmp_path / "bad.pt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        torch.save(content, path)
    with pytest.raises(ConfigError) as info:
        cached_model(ctx_for(tmp_path), "toy", RECIPE, build, Trainer(), override_path=path)
    assert fragment in str(info.value) and "\n" not in str(info.value)


@pytest.mark.hw7
def test_the_command_line_stops_with_one_line_on_a_bad_checkpoint(tmp_path, cache):
    bad = tmp_path / "smallNetSaved.pt"
    bad.write_bytes(b"\x00garbage")
    proc = subprocess.run([sys.executable, "-m", "mfdnn", "run", "hw7-bn-remove", "--profile",
                           "quick", "--device", "cpu", "--out", str(tmp_path / "run"),
                           "--set", f"checkpoint={bad}"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith(f"mfdnn: error: cannot read {bad}")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "run" / "metrics.json").exists()
