"""The three Python tutorials of the course, as nbformat-4 notebooks built from one source each.

1. ``python1``: the core language (values, strings, lists, tuples, dicts, sets, control flow,
   loops, comprehensions, functions, scope, modules);
2. ``python2``: objects (classes, dunder methods, inheritance, exceptions, iterators,
   generators, decorators, context managers);
3. ``python3``: NumPy, Matplotlib and the PyTorch the course uses (tensors, autograd,
   ``nn.Module``, optimisers, ``Dataset``/``DataLoader``, a training loop).

Each tutorial is one percent-format script, ``sources/pythonN.py``: cells start with
``# %%`` (code) or ``# %% [markdown]`` (Markdown, every line a comment), as jupytext and
the editors read them. Three more markers make an exercise, each followed by its name::

    # %% exercise NAME   the starter the student fills in (``# YOUR CODE HERE``, raises
                         NotImplementedError)
    # %% solution NAME   the same cell answered
    # %% check NAME      prints "correct" or the first failing case

and ``# %% include FILE`` inlines ``sources/FILE`` as a code cell (the checking helper,
written once for the three). The student notebook keeps the exercise cells, the solution
notebook puts the solution cells in their place; everything else is the same cells, so the
two cannot drift apart. A small reader rather than jupytext: notebooks are written by
``mfdnn notebook`` and ``mfdnn site build`` without Jupyter installed, and jupytext has no
notion of a starter/solution pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mfdnn.course import percent
from mfdnn.errors import ConfigError

TUTORIALS = ("python1", "python2", "python3")

_ROLE = re.compile(r"^(exercise|solution|check|include)[ \t]+([A-Za-z0-9_.-]+)$")


@dataclass(frozen=True)
class Cell:
    """One cell of a tutorial source: ``kind`` is "markdown" or "code"; ``role`` is "" for
    an ordinary cell, else "exercise", "solution" or "check" of exercise ``name``."""

    kind: str
    source: str
    role: str = ""
    name: str = ""


def _source_text(filename: str) -> str:
    return resources.files(__package__).joinpath("sources", filename).read_text("utf-8")


def parse(text: str, filename: str = "<tutorial>") -> list[Cell]:
    """The cells of a percent-format script (lines before the first ``# %%`` are a header)."""
    cells: list[Cell] = []
    for raw in percent.split(text, filename, _ROLE, ""):
        if raw.tag == "include":
            cells.append(Cell("code", _source_text(raw.target).strip("\n")))
        elif raw.source:
            cells.append(Cell(raw.kind, raw.source, raw.tag, raw.target))
    _check_exercises(cells, filename)
    return cells


def _check_exercises(cells: list[Cell], filename: str) -> None:
    """Every exercise is three adjacent cells: exercise, solution, check, with one name."""
    seen = set()
    for i, cell in enumerate(cells):
        if cell.role != "exercise":
            if cell.role and not (i >= 1 and cells[i - 1].name == cell.name):
                raise ConfigError(f"{filename}: {cell.role} '{cell.name}' without its exercise")
            continue
        trio = cells[i:i + 3]
        if [c.role for c in trio] != ["exercise", "solution", "check"] or {
                c.name for c in trio} != {cell.name}:
            raise ConfigError(f"{filename}: exercise '{cell.name}' must be followed by its "
                              "solution and check cells")
        if "YOUR CODE HERE" not in cell.source or "NotImplementedError" not in cell.source:
            raise ConfigError(f"{filename}: the starter of '{cell.name}' needs a "
                              "'# YOUR CODE HERE' region that raises NotImplementedError")
        if cell.name in seen:
            raise ConfigError(f"{filename}: exercise '{cell.name}' appears twice")
        seen.add(cell.name)


def _valid(name: str) -> str:
    key = str(name).strip().lower()
    if key not in TUTORIALS:
        raise ConfigError(f"unknown tutorial '{name}'; choose from {', '.join(TUTORIALS)}")
    return key


@cache
def tutorial_cells(name: str) -> tuple[Cell, ...]:
    """The cells of tutorial ``name`` (student and solution cells both)."""
    key = _valid(name)
    return tuple(parse(_source_text(f"{key}.py"), f"{key}.py"))


def tutorial_title(name: str) -> str:
    """The tutorial's title, its first heading: ``Python Tutorial 1: the core language``."""
    first = tutorial_cells(name)[0].source.splitlines()[0]
    return first.lstrip("#").strip()


def tutorial_sections(name: str) -> list[str]:
    """The section headings (``## ...``) of tutorial ``name``, in order: what it covers."""
    return [line[3:] for c in tutorial_cells(name) if c.kind == "markdown"
            for line in c.source.splitlines() if line.startswith("## ")]


def exercise_names(name: str) -> list[str]:
    """The exercises of tutorial ``name``, in order."""
    return [c.name for c in tutorial_cells(name) if c.role == "exercise"]


def _nb_cell(cell: Cell, cell_id: str, text: str) -> dict[str, Any]:
    tags = {"exercise": ["exercise"], "solution": ["solution"], "check": ["check"]}.get(
        cell.role, [])
    meta: dict[str, Any] = {"tags": tags} if tags else {}
    source = text.splitlines(keepends=True)
    if cell.kind == "markdown":
        return {"cell_type": "markdown", "id": cell_id, "metadata": meta, "source": source}
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": meta,
            "outputs": [], "source": source}


SOLUTION_NOTE = ("**This is the solution notebook**: every exercise is filled in, and every "
                 "checking cell prints `correct`. Try each exercise in the student notebook "
                 "before you read its solution here.")


def tutorial_notebook(name: str, *, solutions: bool = False) -> dict[str, Any]:
    """Tutorial ``name`` as nbformat-4.5 JSON: the student notebook (exercises to fill in) or,
    with ``solutions=True``, the solution notebook (same cells, the exercises answered).

    Cell ids are stable and the same in both: ``exercise-NAME`` and ``check-NAME`` for an
    exercise, ``cell-I`` (I the position in the source) for the others.
    """
    cells = []
    for i, cell in enumerate(tutorial_cells(name)):
        if cell.role == ("exercise" if solutions else "solution"):
            continue
        text = cell.source
        if i == 0 and solutions:
            text += "\n\n" + SOLUTION_NOTE
        cell_id = (f"check-{cell.name}" if cell.role == "check"
                   else f"exercise-{cell.name}" if cell.role else f"cell-{i}")
        cells.append(_nb_cell(cell, cell_id, text))
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}}


# The student notebooks as ``(kind, source)`` pairs, for
# :func:`mfdnn.course.notebooks.tutorial_notebook` until it calls :func:`tutorial_notebook`.
TUTORIAL_CELLS: dict[str, list[tuple[str, str]]] = {
    name: [(c.kind, c.source) for c in tutorial_cells(name) if c.role != "solution"]
    for name in TUTORIALS}
