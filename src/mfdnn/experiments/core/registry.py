"""The experiment registry.

An experiment module declares a config dataclass, whose defaults are the course's own
settings (the ``full`` profile), and a ``run`` function registered with
:func:`experiment`::

    @dataclass
    class Config:
        epochs: int = 10
        lr: float = 0.1

    @experiment("hw4-lenet-original", title="...", group="HW4", config=Config,
                quick=dict(epochs=1), quick_note="1 epoch")
    def run(cfg: Config, ctx: RunContext) -> dict: ...

Every module directly inside ``mfdnn.experiments`` is imported by :func:`all_experiments`,
so adding an experiment is adding one file.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mfdnn.errors import ConfigError
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.config import did_you_mean

PROFILES = ("quick", "laptop", "full")


@dataclass(frozen=True)
class Reference:
    """A published or course value to show beside a metric (not a test target)."""

    value: Any
    source: str


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    group: str  # "HW4", "Ch3", "App. A", "perf"
    config: type
    run: Callable[[Any, Any], dict[str, Any]]
    overrides: dict[str, dict[str, Any]]  # profile -> field overrides of the full config
    notes: dict[str, str]  # profile -> what it changes relative to the course's settings
    references: dict[str, Reference] = field(default_factory=dict)
    module: str = ""
    metrics: tuple[str, ...] = ()  # the keys the run returns (checked by the smoke tests)
    # (cfg, ctx, override_path) -> CachedModel: the model this experiment trains, for others
    pretrained: Callable[..., Any] | None = None
    claims: tuple[Claim, ...] = ()  # the results it reproduces (see core/claims.py)

    def make_config(self, profile: str) -> Any:
        if profile not in PROFILES:
            raise ConfigError(f"unknown profile '{profile}'; choose from {', '.join(PROFILES)}")
        return dataclasses.replace(self.config(), **self.overrides.get(profile, {}))

    def note(self, profile: str) -> str:
        return self.notes.get(profile, "the course's settings")


_REGISTRY: dict[str, Experiment] = {}


def experiment(
    name: str,
    *,
    title: str,
    group: str,
    config: type,
    metrics: tuple[str, ...],
    quick: dict[str, Any],
    quick_note: str,
    laptop: dict[str, Any] | None = None,
    laptop_note: str | None = None,
    references: dict[str, Reference] | None = None,
    pretrained: Callable[..., Any] | None = None,
    claims: tuple[Claim, ...] | list[Claim] = (),
) -> Callable:
    """Register ``run`` under ``name``. ``laptop=None`` means the laptop profile is ``full``.

    ``pretrained(cfg, ctx, override_path)``, for an experiment that trains a model other
    experiments use, returns that model (see ``core/artifacts.py``). ``claims`` are the
    results the experiment reproduces; each names metrics among ``metrics``, so the smoke
    test sees that a run returns them."""
    if laptop and not laptop_note:
        raise ValueError(f"{name}: a laptop profile that shrinks the run must say how")
    for claim in claims:
        named = [claim.metric] + ([claim.expected] if isinstance(claim.expected, str) else [])
        undeclared = [m for m in named if m not in metrics]
        if undeclared:
            raise ValueError(f"{name}: a claim names {undeclared}, not among its metrics")
        unknown = set(claim.profiles) - set(PROFILES)
        if unknown:
            raise ValueError(f"{name}: a claim on {claim.metric} names profiles {unknown}")

    def register(run: Callable) -> Callable:
        if name in _REGISTRY:
            raise ValueError(f"experiment {name} registered twice")
        known = {f.name for f in dataclasses.fields(config)}
        for profile, values in (("quick", quick), ("laptop", laptop or {})):
            unknown = set(values) - known
            if unknown:
                raise ValueError(f"{name}: {profile} profile sets unknown keys {unknown}")
        _REGISTRY[name] = Experiment(
            name=name, title=title, group=group, config=config, run=run,
            overrides={"quick": quick, "laptop": laptop or {}, "full": {}},
            notes={"quick": quick_note,
                   "laptop": laptop_note or "the course's settings (same as full)",
                   "full": "the course's settings"},
            references=references or {}, module=run.__module__, metrics=tuple(metrics),
            pretrained=pretrained, claims=tuple(claims),
        )
        return run

    return register


def all_experiments() -> dict[str, Experiment]:
    """Import every experiment module once and return the registry, sorted by name."""
    import mfdnn.experiments as package

    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg and not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    return dict(sorted(_REGISTRY.items()))


def get_experiment(name: str) -> Experiment:
    registry = all_experiments()
    if name not in registry:
        raise ConfigError(f"unknown experiment '{name}'{did_you_mean(name, registry)}; "
                          f"`mfdnn list` shows all {len(registry)}")
    return registry[name]

