"""Notebooks: every chapter notebook (its lesson) and the three Python tutorials are valid
nbformat and execute top to bottom on the quick profile, as written: the cheap experiments
run, the costly ones are commented out."""

from __future__ import annotations

import json

import pytest

from mfdnn.course.notebooks import TUTORIALS, write_notebook

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")


def execute(path, cwd) -> object:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def outputs(nb) -> str:
    return "\n".join(str(o) for cell in nb.cells if cell.cell_type == "code"
                     for o in cell.get("outputs", []))


@pytest.mark.parametrize("chapter", ["0", "1", "2", "3", "4", "5", "A"])
def test_chapter_notebook_executes(course, tmp_path, monkeypatch, chapter):
    monkeypatch.delenv("MFDNN_RUNS", raising=False)  # runs go to runs/ beside the notebook
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the notebook's own figures, inline
    nb = execute(write_notebook(course, chapter, tmp_path, profile="quick"), tmp_path)
    text = outputs(nb)
    assert "mfdnn" in text
    lesson_figures = sum("image/png" in str(c.get("outputs")) for c in nb.cells
                         if c.cell_type == "code" and "show_run(" not in c.source)
    if chapter == "1":
        assert lesson_figures >= 2
        assert "image/png" in text and "objective" in text  # the runs' figures and metrics
        metrics = json.loads((tmp_path / "runs" / "quick" / "hw1-conv1d" / "metrics.json")
                             .read_text())
        # the lesson's own GD loop, on the experiment's draws, gives the experiment's number
        assert f"operators {metrics['objective']:.6f}" in text
    if chapter == "2":
        assert lesson_figures >= 1
        metrics = json.loads((tmp_path / "runs" / "quick" / "hw2-logistic-sgd" / "metrics.json")
                             .read_text())
        # HW2's SGD written on the page, on the homework's draws: the experiment's loss
        assert f"-> {metrics['final_loss']:.4f}, train accuracy" in text


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
