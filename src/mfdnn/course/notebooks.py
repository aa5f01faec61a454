"""``mfdnn notebook CHAPTER --out DIR``: a Jupyter notebook per chapter, and the three Python
tutorials (``python1``, ``python2``, ``python3``).

A chapter notebook is its lesson (:mod:`mfdnn.course.lessons`): the chapter's header from
``course.yml``, a setup cell, then the lesson source's cells, the ``source`` directives
expanded to the package's own code and the ``run`` directives to :func:`show_run` cells, which
run an experiment on the chosen profile (or reuse its finished run) and show its metrics
beside the course's numbers, its claims and its figures. Notebooks are written as nbformat-4
JSON directly, so writing one needs no Jupyter installation; running one needs Jupyter.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import mfdnn
from mfdnn.course.metadata import Course
from mfdnn.errors import ConfigError

TUTORIALS = ("python1", "python2", "python3")


def _cell(kind: str, text: str) -> dict[str, Any]:
    source = text.strip("\n").splitlines(keepends=True)
    if kind == "markdown":
        return {"cell_type": "markdown", "metadata": {}, "source": source}
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source}


def _notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}}


def runs_folder(profile: str, name: str, overrides: tuple[str, ...] | list[str] = ()) -> Path:
    """Where :func:`show_run` keeps a run: ``$MFDNN_RUNS/<profile>/<name>`` (default
    ``runs/...`` in the notebook's folder), ``<name>--key-value`` for a run with overrides."""
    tag = "".join("--" + re.sub(r"[^A-Za-z0-9_.]+", "-", o) for o in overrides)
    return Path(os.environ.get("MFDNN_RUNS") or "runs") / profile / (name + tag)


def finished_run(name: str, profile: str, out: Path, seed: int = 0,
                 overrides: tuple[str, ...] | list[str] = ()) -> Any:
    """The run already in ``out`` if it is this one, finished, else None.

    "This one": the manifest names the same experiment, profile, seed, overrides, config (the
    profile's config with the overrides applied, as the run would use), mfdnn version and git
    commit, and every output it lists is there. A failed run writes no manifest, and a run of
    anything else differs in one of these, so either is run again."""
    from mfdnn.experiments.core.config import apply_overrides, config_dict
    from mfdnn.experiments.core.registry import get_experiment
    from mfdnn.experiments.core.runner import RunRecord, git_commit

    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
        claims_file = out / "claims.json"
        claims = json.loads(claims_file.read_text(encoding="utf-8")) \
            if claims_file.is_file() else []
    except (OSError, ValueError):
        return None
    cfg = apply_overrides(get_experiment(name).make_config(profile), list(overrides), name)
    wanted = {
        "experiment": name, "profile": profile, "seed": seed, "overrides": list(overrides),
        "config": json.loads(json.dumps(config_dict(cfg))),
        "git_commit": git_commit(),
    }
    if any(manifest.get(key) != value for key, value in wanted.items()):
        return None
    if manifest.get("versions", {}).get("mfdnn") != mfdnn.__version__:
        return None
    if not all((out / f).is_file() for f in manifest.get("figures", [])):
        return None
    return RunRecord(name, out, metrics, manifest, claims)


def show_run(name: str, profile: str = "quick", out: str | Path | None = None, *,
             seed: int = 0, overrides: tuple[str, ...] | list[str] = (),
             rerun: bool = False) -> Any:
    """Run experiment ``name`` (or reuse its finished run in ``out``, see
    :func:`finished_run`; ``rerun=True`` always runs it) and display its metrics beside the
    course's numbers, its claims' verdicts and its figures. Returns the run's record."""
    from IPython.display import Image, Markdown, display

    from mfdnn.experiments.core.claims import verdict_line
    from mfdnn.experiments.core.registry import get_experiment
    from mfdnn.experiments.core.runner import run_experiment

    exp = get_experiment(name)
    out = Path(out) if out is not None else runs_folder(profile, name, overrides)
    record = None if rerun else finished_run(name, profile, out, seed, overrides)
    if record is not None:
        how = (f"reused the finished run in `{out}` (same experiment, profile, seed, config "
               f"and code; `rerun=True` runs it again), {record.manifest['wall_seconds']:.1f} s")
    else:
        record = run_experiment(name, profile=profile, seed=seed, out=out,
                                overrides=list(overrides), progress=False, quiet=True)
        how = f"ran in {record.manifest['wall_seconds']:.1f} s -> `{out}`"
    rows = [f"**`{name}`** at `{profile}`, seed {seed}: {how}.", "",
            "| metric | value | the course's / paper's |", "|---|---|---|"]
    for key, value in record.metrics.items():
        text = f"{value:.6g}" if isinstance(value, float) else json.dumps(value)
        text = text if len(text) <= 80 else text[:77] + "..."
        ref = exp.references.get(key)
        rows.append(f"| `{key}` | {text} | {f'{ref.value} ({ref.source})' if ref else ''} |")
    display(Markdown("\n".join(rows)))
    claims = getattr(record, "claims", None) or []
    if claims:
        display(Markdown("**Claims** (what this run reproduces, checked):\n\n" + "\n".join(
            f"- `{verdict_line(c)}`" for c in claims)))
    for figure in record.manifest["figures"]:
        display(Image(filename=str(record.out / figure)))
    return record


def _weeks(weeks: str) -> str:
    """``week 1``, ``weeks 2-3``; an appendix (``-``) is in no week."""
    weeks = str(weeks).strip()
    if weeks in ("", "-"):
        return "an appendix (in no week of the lecture plan)"
    return ("weeks " if re.search(r"[-–,]", weeks) else "week ") + weeks


SETUP = '''from __future__ import annotations  # the package's code shown below runs as it is

import math

import mfdnn.plotting  # noqa: F401  (experiments draw to files; then figures inline here)
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

import mfdnn
from mfdnn.course.notebooks import show_run

PROFILE = {profile!r}  # "laptop": at most ~15 min per run on a 2-core CPU; "full": the course's
print("mfdnn", mfdnn.__version__, "| runs at profile", PROFILE)'''


def _run_cell(name: str, run: bool) -> dict[str, Any]:
    from mfdnn.experiments.core.registry import get_experiment

    exp = get_experiment(name)
    if run:
        return _cell("code", f"record = show_run({name!r}, PROFILE)")
    return _cell("code", f"# {exp.title}: takes longer ({exp.note('quick')} at quick).\n"
                 f"# Uncomment to run it (or reuse a finished run):\n"
                 f"# record = show_run({name!r}, PROFILE)")


def chapter_notebook(course: Course, chapter: str, profile: str = "quick",
                     only: set[str] | None = None) -> dict[str, Any]:
    """The lesson notebook of ``chapter``. ``run`` cells of experiments outside ``only`` (if
    given) are written as ``show`` cells (commented out)."""
    from mfdnn.course.lessons import lesson_cells, named_experiments, source_cell_text
    from mfdnn.course.site import experiments_by_chapter
    from mfdnn.experiments.core.registry import get_experiment

    ch = course.get_chapter(chapter)
    homework = "".join(f"\n- {course.get_homework(h).heading}: {course.get_homework(h).title}"
                       for h in ch.homework)
    cells = [
        _cell("markdown", f"# Chapter {ch.id}: {ch.title}\n\n*{course.title}* "
              f"({course.code}, {course.term}), {_weeks(ch.weeks)}.\n\n{ch.summary}\n\n"
              "**Topics:** " + ", ".join(ch.topics) + "."
              + (f"\n\n**Homework of this chapter:**{homework}" if homework else "")),
        _cell("markdown", "Run the cells from the top (**Shift+Enter**). Code cells headed "
              "*the code the package runs* are the package's own functions, copied in when "
              "this notebook was written: they are exactly what `mfdnn run` executes. "
              f"`show_run(NAME, PROFILE)` runs an experiment at `PROFILE = \"{profile}\"` "
              "(or reuses its finished run) and shows its numbers beside the course's; change "
              "`PROFILE` to `\"laptop\"` or `\"full\"` to reproduce the course's results."),
        _cell("code", SETUP.format(profile=profile)),
    ]
    lesson = lesson_cells(ch.id)
    for cell in lesson:
        if cell.directive == "source":
            cells.append(_cell("code", source_cell_text(cell.target)))
            cells[-1]["metadata"]["mfdnn"] = {"source": cell.target}
        elif cell.directive in ("run", "show"):
            get_experiment(cell.target)  # an unknown name stops here, with 'did you mean'
            run = cell.directive == "run" and (only is None or cell.target in only)
            cells.append(_run_cell(cell.target, run))
        else:
            cells.append(_cell(cell.kind, cell.source))
    named = set(named_experiments(lesson))
    rest = [e for e in experiments_by_chapter(course)[ch.id] if e.name not in named]
    if rest:
        cells.append(_cell("markdown", "## More experiments of this chapter\n\n" + "\n".join(
            f"- `{e.name}` ({e.group}): {e.title}." for e in rest)))
        cells.extend(_run_cell(e.name, False) for e in rest)
    return _notebook(cells)


def tutorial_notebook(name: str) -> dict[str, Any]:
    from mfdnn.course.tutorials import TUTORIAL_CELLS

    return _notebook([_cell(kind, text) for kind, text in TUTORIAL_CELLS[name]])


def write_notebook(course: Course, chapter: str, out: Path, profile: str = "quick",
                   only: set[str] | None = None) -> Path:
    """Write ``chapter-<id>.ipynb`` (or ``pythonN.ipynb`` for a tutorial) into ``out``."""
    key = str(chapter).strip().lower()
    if key in TUTORIALS:
        nb, filename = tutorial_notebook(key), f"{key}.ipynb"
    else:
        try:
            ch = course.get_chapter(chapter)
        except ConfigError:
            raise ConfigError(f"unknown chapter '{chapter}'; choose from "
                              f"{', '.join(c.id for c in course.chapters)} or "
                              f"{', '.join(TUTORIALS)}") from None
        nb, filename = chapter_notebook(course, ch.id, profile, only), f"chapter-{ch.id}.ipynb"
    out.mkdir(parents=True, exist_ok=True)
    path = out / filename
    path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    return path
