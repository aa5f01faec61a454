"""``mfdnn notebook CHAPTER --out DIR``: a Jupyter notebook per chapter, and the three Python
tutorials (``python1``, ``python2``, ``python3``).

A chapter notebook imports ``mfdnn`` and walks through the chapter's experiments (from the
live registry): a short explanation of each, then a cell that runs it on the chosen profile
and shows its metrics and figures (:func:`show_run`). Notebooks are written as nbformat-4
JSON directly, so writing one needs no Jupyter installation; running one needs Jupyter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def show_run(name: str, profile: str = "quick", out: str | Path | None = None) -> Any:
    """Run experiment ``name`` and display its metrics (beside references) and figures."""
    from IPython.display import Image, Markdown, display

    from mfdnn.experiments.core.registry import get_experiment
    from mfdnn.experiments.core.runner import run_experiment

    exp = get_experiment(name)
    record = run_experiment(name, profile=profile, out=out or Path("runs") / profile / name,
                            progress=False, quiet=True)
    rows = ["| metric | value | reference |", "|---|---|---|"]
    for key, value in record.metrics.items():
        text = f"{value:.6g}" if isinstance(value, float) else json.dumps(value)
        text = text if len(text) <= 80 else text[:77] + "..."
        ref = exp.references.get(key)
        rows.append(f"| `{key}` | {text} | {f'{ref.value} ({ref.source})' if ref else ''} |")
    display(Markdown("\n".join(rows)))
    for figure in record.manifest["figures"]:
        display(Image(filename=str(record.out / figure)))
    return record


def chapter_notebook(course: Course, chapter: str, profile: str = "quick",
                     only: set[str] | None = None) -> dict[str, Any]:
    """The notebook of ``chapter``; experiments outside ``only`` (if given) are shown, not run."""
    from mfdnn.course.site import experiments_by_chapter

    ch = course.get_chapter(chapter)
    exps = experiments_by_chapter(course)[ch.id]
    cells = [
        _cell("markdown", f"# Chapter {ch.id}: {ch.title}\n\n*{course.title}* "
              f"({course.code}), weeks {ch.weeks}.\n\n{ch.summary}\n\n**Topics:** "
              + ", ".join(ch.topics) + "."),
        _cell("markdown", "Every experiment below is a seeded run of the `mfdnn` package. "
              f"`PROFILE = \"{profile}\"` keeps each run short; set it to `\"laptop\"` "
              "(at most about 15 minutes on a 2-core CPU) or `\"full\"` (the course's exact "
              "settings) to reproduce the course's results."),
        _cell("code", "import mfdnn\nfrom mfdnn.course.notebooks import show_run\n"
              f"from mfdnn.experiments.core.registry import get_experiment\n\n"
              f"PROFILE = {profile!r}\nprint('mfdnn', mfdnn.__version__)"),
    ]
    if ch.homework:
        cells.append(_cell("markdown", "Homework of this chapter: " + ", ".join(
            f"{h.upper()} ({course.get_homework(h).title})" for h in ch.homework) + "."))
    if not exps:
        cells.append(_cell("markdown", "No experiments are registered for this chapter yet; "
                           "`mfdnn list` shows what exists."))
    for exp in exps:
        import importlib

        doc = (importlib.import_module(exp.module).__doc__ or "").strip().split("\n\n")[0]
        cells.append(_cell("markdown", f"## `{exp.name}` ({exp.group})\n\n**{exp.title}.**\n\n"
                           f"{doc}\n\nThe `quick` profile: {exp.note('quick')}."))
        if only is None or exp.name in only:
            cells.append(_cell("code", f"record = show_run({exp.name!r}, PROFILE)"))
        else:
            cells.append(_cell("code", f"# Run it (takes longer): show_run({exp.name!r}, PROFILE)\n"
                               f"print(get_experiment({exp.name!r}).title)"))
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
