"""The chapter lessons: one percent-format source per chapter, ``chapter-ID.py`` beside this
module, from which ``mfdnn notebook ID`` and ``mfdnn site build`` write the chapter notebook.

A source is a Python script whose cells start with ``# %%`` (code) or ``# %% [markdown]``
(Markdown, every line a comment), as jupytext and the editors read them. Three directives make
cells of their own (a directive cell has no body):

    # %% source MODULE:QUALNAME   the code of a function, class or method of the package,
                                  ``inspect.getsource`` of the live object when the notebook
                                  is written (so a notebook shows the code the experiment runs,
                                  and cannot drift from it); the cell defines it in the kernel
    # %% run NAME                 ``show_run(NAME, PROFILE)``: the experiment's run with its
                                  figures, metrics beside the course's numbers, and its claims
    # %% show NAME                the same, commented out (an experiment too costly to run by
                                  default): the reader uncomments it

Every experiment of the chapter that the source names in neither ``run`` nor ``show`` is
added at the end as a ``show`` cell, so an experiment added later is never missing from its
chapter. The notebook opens with the chapter's header from ``course.yml`` and a setup cell
(``PROFILE``, the imports the shown code needs).
"""

from __future__ import annotations

import importlib
import inspect
import re
import textwrap
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mfdnn.course import percent
from mfdnn.errors import ConfigError

_DIRECTIVE = re.compile(r"^(source|run|show)[ \t]+(\S+)$")
_TARGET = re.compile(r"^([A-Za-z_][\w.]*):([A-Za-z_][\w.]*)$")

SOURCE_HEADER = "# {target}: the code the package runs ({path})"


@dataclass(frozen=True)
class Cell:
    """A cell of a lesson source: ``kind`` "markdown" or "code"; ``directive`` "" for an
    ordinary cell, else "source", "run" or "show" with its ``target``."""

    kind: str
    source: str
    directive: str = ""
    target: str = ""


def parse(text: str, filename: str = "<lesson>") -> list[Cell]:
    """The cells of a lesson source (lines before the first ``# %%`` are its header)."""
    cells: list[Cell] = []
    usage = (" (use '# %%', '# %% [markdown]', '# %% source MODULE:NAME', '# %% run NAME' "
             "or '# %% show NAME')")
    for raw in percent.split(text, filename, _DIRECTIVE, usage):
        if raw.tag:
            if raw.source:
                raise ConfigError(f"{filename}: the '{raw.tag} {raw.target}' cell must be "
                                  "empty (it is made from its target): "
                                  f"{raw.source.splitlines()[0]!r}")
            cells.append(Cell("code", "", raw.tag, raw.target))
        elif raw.source:
            cells.append(Cell(raw.kind, raw.source))
    return cells


def resolve(target: str) -> Any:
    """The object ``MODULE:QUALNAME`` names (``mfdnn.optim.sgd:SGD.update``); a clear
    ConfigError if the module, or a name in it, does not exist."""
    match = _TARGET.match(target)
    if not match:
        raise ConfigError(f"source directive '{target}': write it as MODULE:QUALNAME, e.g. "
                          "mfdnn.optim.gd:gradient_descent")
    module_name, qualname = match.groups()
    try:
        obj: Any = importlib.import_module(module_name)
    except ModuleNotFoundError:
        raise ConfigError(f"source directive '{target}': no module '{module_name}'") from None
    for i, part in enumerate(qualname.split(".")):
        if not hasattr(obj, part):
            where = ".".join([module_name, *qualname.split(".")[:i]])
            raise ConfigError(f"source directive '{target}': '{where}' has no '{part}'")
        obj = getattr(obj, part)
    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj)):
        raise ConfigError(f"source directive '{target}': not a function or class")
    return obj


def source_of(target: str) -> str:
    """``inspect.getsource`` of the object ``target`` names, dedented (a method's source is
    indented in its class)."""
    return textwrap.dedent(inspect.getsource(resolve(target))).rstrip("\n")


def source_cell_text(target: str) -> str:
    """The text of the cell a ``source`` directive becomes: a header line naming the object
    and its file, then its source."""
    module_name = target.partition(":")[0]
    path = "src/" + module_name.replace(".", "/") + ".py"
    return SOURCE_HEADER.format(target=target, path=path) + "\n" + source_of(target)


def has_lesson(chapter: str) -> bool:
    """Whether chapter ``chapter`` has a lesson source."""
    return resources.files(__package__).joinpath(f"chapter-{chapter}.py").is_file()


def lesson_text(chapter: str) -> str:
    name = f"chapter-{chapter}.py"
    if not has_lesson(chapter):
        raise ConfigError(f"no lesson source {name} in mfdnn.course.lessons")
    return resources.files(__package__).joinpath(name).read_text("utf-8")


@cache
def lesson_cells(chapter: str) -> tuple[Cell, ...]:
    """The cells of chapter ``chapter``'s lesson source, directives not yet expanded (none
    for a chapter without one: its notebook lists its experiments)."""
    if not has_lesson(chapter):
        return ()
    return tuple(parse(lesson_text(chapter), f"chapter-{chapter}.py"))


def named_experiments(cells: tuple[Cell, ...] | list[Cell]) -> list[str]:
    """The experiments a lesson's ``run`` and ``show`` cells name, in order."""
    return [c.target for c in cells if c.directive in ("run", "show")]
