"""Trained models that experiments keep and share: "pretrained if present, else train".

A model is cached as ``<cache>/artifacts/<kind>/<kind>-<key>.pt``, ``key`` a hash of its
*recipe*: a JSON-able dict of everything that determines the trained weights (model,
optimiser, data, length of training, seed). The file holds the weights under
``state_dict``, the recipe, and what the training reported (``info``). A lock beside it
makes a second process wait for a training in progress instead of training the same
recipe again, and the file is written atomically: it is complete or absent.

``override_path`` loads a user's own file instead (e.g. the course's ``nice.pt``): a bare
state dict, as ``torch.save(model.state_dict(), path)`` writes it, or a dict holding one
under ``state_dict``. Every file is read with ``torch.load(weights_only=True)``, so a file
from elsewhere cannot run code; one that does not hold the model's weights stops the run
with one line.

An experiment whose model other experiments use (``hw10-nice-train``'s NICE) registers a
``pretrained`` function with ``@experiment``; :func:`pretrained` gets that model by the
experiment's name, so a consumer never imports the producer's module.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from mfdnn.data.files import atomic_write, file_lock
from mfdnn.errors import ConfigError, MfdnnError
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import get_experiment
from mfdnn.train import distributed


@dataclass
class CachedModel:
    model: nn.Module  # on the run's device, in eval mode
    source: str  # the file its weights came from
    info: dict[str, Any]  # what ``train`` returned when the model was trained
    trained_now: bool


def recipe_key(recipe: dict[str, Any]) -> str:
    """12 hex digits of the SHA-256 of the recipe as sorted JSON."""
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def cached_model(
    ctx: RunContext,
    kind: str,
    recipe: dict[str, Any],
    build: Callable[[], nn.Module],
    train: Callable[[nn.Module], dict[str, Any]],
    override_path: str | Path | None = None,
    *,
    retrain: bool = False,
) -> CachedModel:
    """The model of ``recipe``: the user's file, the cached one, or trained now and cached.

    ``build()`` makes the untrained model; ``train(model)`` trains it on the run's device
    (torch's generator reseeded first) and returns numbers to keep with it (weights-only
    types: numbers, strings, lists, dicts). ``retrain=True`` trains even if the recipe is
    cached and replaces the file (the producing experiment's own run). Torch's generator is
    reseeded afterwards either way, so what follows does not depend on whether the model
    had to be trained.
    """
    if override_path is not None:
        model = load_weights(build(), Path(override_path).expanduser())
        ctx.note(f"{kind} loaded from {override_path}")
        cached = CachedModel(model.to(ctx.device), str(override_path), {}, False)
    else:
        path = ctx.artifacts / kind / f"{kind}-{recipe_key(recipe)}.pt"
        # wait for a training of this recipe in progress; under torchrun rank 0 holds the
        # lock and decides for all ranks, which must train together
        lock = file_lock(path.parent / f".{path.stem}.lock") if ctx.writes else nullcontext()
        with lock:
            if distributed.from_main(path.exists() and not retrain):
                saved = _read(path)
                model = build()
                model.load_state_dict(saved["state_dict"])
                ctx.note(f"{kind} loaded from {path}")
                cached = CachedModel(model.to(ctx.device), str(path), saved["info"], False)
            else:
                if not retrain:
                    ctx.note(f"no cached {kind} for this recipe: training it ({path})")
                ctx.reseed()
                model = build().to(ctx.device)
                info = train(model)
                if ctx.writes:
                    with atomic_write(path) as f:
                        torch.save({"state_dict": model.state_dict(), "recipe": recipe,
                                    "info": info}, f)
                    ctx.log(f"{kind} cached as {path}")
                cached = CachedModel(model, str(path), info, True)
    ctx.reseed()
    cached.model.eval()
    return cached


def pretrained(ctx: RunContext, name: str, profile: str,
               override_path: str | Path | None = None) -> CachedModel:
    """The model experiment ``name`` trains in ``profile`` (its registered ``pretrained``
    function: cached, or trained now), or the user's file ``override_path``."""
    exp = get_experiment(name)
    if exp.pretrained is None:
        raise ValueError(f"experiment {name} registers no pretrained model")
    return exp.pretrained(exp.make_config(profile), ctx, override_path)


def load_weights(model: nn.Module, path: Path) -> nn.Module:
    """Load a user's state dict into ``model``; one :class:`ConfigError` line if it is not
    a readable file holding exactly the weights of ``model``."""
    what = type(model).__name__
    if not path.is_file():
        raise ConfigError(f"{path}: no such file (expected a state dict of {what})")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # not a torch file, or one that needs code to unpickle
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"cannot read {path} as a state dict of {what}: {reason}") from None
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict):
        raise ConfigError(f"{path} holds a {type(state).__name__}, not a state dict of {what}")
    problem = _mismatch(model.state_dict(), state)
    if problem:
        raise ConfigError(f"{path} does not hold the weights of {what}: {problem}")
    model.load_state_dict(state)
    return model


def _mismatch(expected: dict[str, Any], state: dict[str, Any]) -> str:
    """What keeps ``state`` from loading into a model whose state dict is ``expected``."""
    missing = sorted(expected.keys() - state.keys())
    unexpected = sorted(state.keys() - expected.keys())
    shapes = [k for k in sorted(expected.keys() & state.keys())
              if not isinstance(state[k], torch.Tensor) or state[k].shape != expected[k].shape]
    parts = [f"{len(missing)} missing (e.g. {missing[0]})" if missing else "",
             f"{len(unexpected)} unexpected (e.g. {unexpected[0]})" if unexpected else "",
             f"{len(shapes)} of another shape (e.g. {shapes[0]})" if shapes else ""]
    return "; ".join(p for p in parts if p)


def _read(path: Path) -> dict[str, Any]:
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
        return {"state_dict": saved["state_dict"], "info": saved.get("info", {})}
    except Exception as exc:  # a foreign file under the cache's name
        raise MfdnnError(f"cannot read the cached model {path}: {exc}; delete it to train "
                         "again") from None
