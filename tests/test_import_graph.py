"""The import graph of ``src/mfdnn``: lower layers never import higher ones, and no
experiment imports another experiment (README "Layout").

Every ``import`` and ``from ... import`` statement counts, also one inside a function (a
lazy import is still a dependency); imports by name through ``importlib`` (the registry's
discovery of experiment modules, the course's checks) are not statements and do not.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# Lowest first. A module may import its own layer and the layers below it.
LAYERS: list[tuple[str, ...]] = [
    ("mfdnn", "mfdnn.errors"),  # the package root (its version) and the error types
    ("mfdnn.data",),
    ("mfdnn.nn", "mfdnn.optim", "mfdnn.analysis", "mfdnn.models", "mfdnn.flows", "mfdnn.vae",
     "mfdnn.gan", "mfdnn.montecarlo", "mfdnn.imaging", "mfdnn.anomaly", "mfdnn.samples",
     "mfdnn.plotting"),  # math and models
    ("mfdnn.train",),
    ("mfdnn.experiments",),
    ("mfdnn.course",),  # the course system reads the experiment registry
    ("mfdnn.cli",),  # the command's verbs, the course's included
    ("mfdnn.__main__",),
]
EXPERIMENTS = "mfdnn.experiments"


def layer_of(module: str) -> int:
    """The layer of the longest prefix of ``module`` named in LAYERS."""
    best, rank = "", None
    for i, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, rank = name, i
    if rank is None:
        raise KeyError(f"{module} belongs to no layer: add it to LAYERS in {__file__}")
    return rank


def is_experiment_module(module: str) -> bool:
    """``mfdnn.experiments.<name>`` for an experiment: not ``core``, not a ``_`` helper."""
    parts = module.split(".")
    return (len(parts) >= 3 and parts[:2] == ["mfdnn", "experiments"]
            and parts[2] != "core" and not parts[2].startswith("_"))


def imported(module: str, source: str, is_package: bool, known: set[str]) -> list[str]:
    """The mfdnn modules ``source`` (module ``module``) imports, relative imports resolved;
    ``from a import b`` names ``a.b`` where that is a module of ``known``."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found += [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                      for a in node.names]
    return [m for m in found if m == "mfdnn" or m.startswith("mfdnn.")]


def violations(modules: dict[str, tuple[str, bool]], known: set[str]) -> list[str]:
    """Each import of ``modules`` (name -> (source, is_package)) that breaks a rule, as
    "importer -> imported: why"; ``known`` names every module of the package."""
    problems = []
    for module, (source, is_package) in sorted(modules.items()):
        for target in imported(module, source, is_package, known):
            if layer_of(target) > layer_of(module):
                problems.append(f"{module} -> {target}: a lower layer imports a higher one")
            elif (module.startswith(EXPERIMENTS + ".") and is_experiment_module(target)
                  and target != module):
                problems.append(f"{module} -> {target}: an experiment module is imported by "
                                "another module of experiments (share it through the library, "
                                "experiments/core or a _helper module)")
    return problems


@functools.cache
def package_modules() -> dict[str, tuple[str, bool]]:
    modules = {}
    for path in sorted((SRC / "mfdnn").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        modules[name] = (path.read_text(), is_package)
    return modules


def test_the_package_keeps_its_layers_and_experiments_import_no_experiment():
    modules = package_modules()
    assert "mfdnn.experiments.hw10_nice_train" in modules and len(modules) > 100
    assert violations(modules, set(modules)) == []


def test_every_module_has_a_layer():
    for module in package_modules():
        layer_of(module)


def _with(name: str, source: str) -> list[str]:
    """The violations of one module planted in the real package."""
    return violations({name: (source, False)}, set(package_modules()) | {name})


@pytest.mark.parametrize("name, source, fragment", [
    ("mfdnn.experiments.hw99_copy", "from mfdnn.experiments.hw10_nice_train import build",
     "mfdnn.experiments.hw99_copy -> mfdnn.experiments.hw10_nice_train: an experiment"),
    ("mfdnn.experiments.hw99_copy", "from mfdnn.experiments import hw1_conv1d",
     "-> mfdnn.experiments.hw1_conv1d: an experiment"),
    ("mfdnn.experiments.hw99_copy", "def run():\n    from . import hw1_conv1d\n",
     "-> mfdnn.experiments.hw1_conv1d: an experiment"),
    ("mfdnn.experiments._helper", "import mfdnn.experiments.ch4_dncnn",
     "mfdnn.experiments._helper -> mfdnn.experiments.ch4_dncnn: an experiment"),
    ("mfdnn.experiments.core.extra", "from ..hw7_bn_remove import Config",
     "-> mfdnn.experiments.hw7_bn_remove: an experiment"),
    ("mfdnn.train.extra", "from mfdnn.experiments.core.context import RunContext",
     "mfdnn.train.extra -> mfdnn.experiments.core.context: a lower layer"),
    ("mfdnn.models.extra", "def f():\n    from mfdnn.train import fit\n",
     "mfdnn.models.extra -> mfdnn.train: a lower layer"),
    ("mfdnn.data.extra", "from .. import plotting", "mfdnn.data.extra -> mfdnn.plotting"),
    ("mfdnn.course.extra", "from mfdnn.cli.main import main", "-> mfdnn.cli.main: a lower"),
])
def test_a_planted_bad_import_is_caught(name, source, fragment):
    problems = _with(name, source)
    assert len(problems) == 1 and fragment in problems[0], problems


@pytest.mark.parametrize("name, source", [
    ("mfdnn.experiments.hw99_ok", "from mfdnn.experiments._two_digits import two_digits\n"
     "from mfdnn.experiments.core.artifacts import pretrained\nfrom mfdnn.train import fit"),
    ("mfdnn.experiments.hw99_ok", "from . import _threads\nfrom .core import registry"),
    ("mfdnn.cli.extra", "from mfdnn.course import site"),
    ("mfdnn.models.extra", "from mfdnn.data import load\nfrom mfdnn.nn import conv1d"),
])
def test_what_the_layers_allow_is_not_flagged(name, source):
    assert _with(name, source) == []
