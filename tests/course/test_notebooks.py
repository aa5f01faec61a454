"""Notebooks: every chapter notebook and the three Python tutorials are valid nbformat and
execute on the quick profile (experiments other than the cheapest are shown, not run)."""

from __future__ import annotations

import os

import pytest

from mfdnn.course.notebooks import TUTORIALS, write_notebook

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

CHEAP = {"hw1-conv1d", "hw1-wide-minima"}


def execute(path, cwd) -> object:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    os.environ.setdefault("MPLBACKEND", "Agg")
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def outputs(nb) -> str:
    return "\n".join(str(o) for cell in nb.cells if cell.cell_type == "code"
                     for o in cell.get("outputs", []))


@pytest.mark.parametrize("chapter", ["0", "1", "2", "3", "4", "5", "A"])
def test_chapter_notebook_executes(course, tmp_path, chapter):
    path = write_notebook(course, chapter, tmp_path, profile="quick", only=CHEAP)
    nb = execute(path, tmp_path)
    text = outputs(nb)
    assert "mfdnn" in text
    if chapter == "1":
        assert "image/png" in text and "objective" in text  # figures and metrics shown
        assert (tmp_path / "runs" / "quick" / "hw1-conv1d" / "metrics.json").exists()


@pytest.mark.parametrize("name", TUTORIALS)
def test_python_tutorial_executes(course, tmp_path, name):
    nb = execute(write_notebook(course, name, tmp_path), tmp_path)
    assert "error" not in [o.get("output_type") for c in nb.cells for o in c.get("outputs", [])]


def test_tutorials_cover_what_the_course_lists():
    from mfdnn.course.tutorials import TUTORIAL_CELLS

    text = " ".join(src for cells in TUTORIAL_CELLS.values() for _, src in cells).lower()
    for topic in ("variables", "loops", "functions", "classes", "inheritance", "exceptions",
                  "lists and tuples", "decorators", "iterators", "numpy", "matplotlib"):
        assert topic in text, topic


def test_unknown_chapter_is_refused(course, tmp_path):
    from mfdnn.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown chapter '6'; choose from 0, 1"):
        write_notebook(course, "6", tmp_path)
