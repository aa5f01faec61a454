"""Lessons: the chapter notebooks are built from lesson sources whose ``source`` cells are the
package's live code (no drift), whose directives fail clearly when they name nothing, and
whose ``show_run`` cells reuse a finished run only when it is the same run."""

from __future__ import annotations

import json
import re

import pytest

import mfdnn.course.lessons as lessons
from mfdnn.course.lessons import SOURCE_HEADER, parse, resolve, source_of
from mfdnn.course.notebooks import chapter_notebook, finished_run, show_run
from mfdnn.errors import ConfigError

ALL = ["0", "1", "2", "3", "4", "5", "A"]
CHAPTERS = [c for c in ALL if lessons.has_lesson(c)]


def text(cell) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_source_cells_are_the_live_code_of_the_package(course, chapter):
    """The no-drift test: a source cell is a header line, then inspect.getsource of the object
    (dedented), character for character."""
    nb = chapter_notebook(course, chapter)
    shown = [c for c in nb["cells"] if "mfdnn" in c["metadata"]]
    for cell in shown:
        target = cell["metadata"]["mfdnn"]["source"]
        header, _, body = text(cell).partition("\n")
        assert header == SOURCE_HEADER.format(
            target=target, path="src/" + target.partition(":")[0].replace(".", "/") + ".py")
        assert body == source_of(target)
        import inspect
        import textwrap
        assert body == textwrap.dedent(inspect.getsource(resolve(target))).rstrip("\n")
    if chapter != "0":
        assert len(shown) >= 3, "a lesson shows the package's code that does the mathematics"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_is_a_lesson_with_equations_and_code_of_its_own(course, chapter):
    nb = chapter_notebook(course, chapter)
    markdown = [text(c) for c in nb["cells"] if c["cell_type"] == "markdown"]
    own = [text(c) for c in nb["cells"][3:] if c["cell_type"] == "code"
           and "mfdnn" not in c["metadata"] and "show_run(" not in text(c)]
    assert sum(bool(re.search(r"\$[^$]+\$", m)) for m in markdown) >= 3
    assert len(own) >= (2 if chapter == "0" else 5)
    assert any("Try this" in m for m in markdown)


def test_headers_name_the_weeks_of_the_lecture_plan(course):
    head = {ch: text(chapter_notebook(course, ch)["cells"][0]) for ch in ALL}
    assert "week 1." in head["1"] and "weeks 1" not in head["1"]
    assert "weeks 2-3." in head["2"]
    assert "an appendix" in head["A"]
    assert "## 1." not in head["0"] and "Prologue" in head["0"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_experiment_of_the_chapter_is_in_its_notebook(course, chapter):
    from mfdnn.course.site import experiments_by_chapter

    body = json.dumps(chapter_notebook(course, chapter))
    for exp in experiments_by_chapter(course)[chapter]:
        assert f"show_run('{exp.name}', PROFILE)" in body, exp.name


def test_a_run_directive_runs_and_a_show_directive_is_commented(course, monkeypatch):
    cells = parse("# %% run ch1-gd-rosenbrock\n\n# %% show ch1-sgd-variants\n")
    monkeypatch.setattr(lessons, "lesson_cells", lambda chapter: tuple(cells))
    code = [text(c) for c in chapter_notebook(course, "1")["cells"]]
    assert "record = show_run('ch1-gd-rosenbrock', PROFILE)" in code
    shown = next(c for c in code if "ch1-sgd-variants" in c and "#" in c)
    assert all(line.startswith("#") for line in shown.splitlines())


@pytest.mark.parametrize(("source", "message"), [
    ("# %% source mfdnn.nowhere:f\n", "source directive 'mfdnn.nowhere:f': no module "
                                      "'mfdnn.nowhere'"),
    ("# %% source mfdnn.optim.gd:no_such_function\n",
     "'mfdnn.optim.gd' has no 'no_such_function'"),
    ("# %% source mfdnn.optim.sgd:SGD.nope\n", "'mfdnn.optim.sgd.SGD' has no 'nope'"),
    ("# %% source mfdnn.optim.gd\n", "write it as MODULE:QUALNAME"),
    ("# %% source mfdnn.optim.gd:np\n", "not a function or class"),
    ("# %% run ch1-gd-rosenbrok\n", "did you mean"),
])
def test_a_bad_directive_stops_the_build_with_one_clear_line(course, monkeypatch, source,
                                                             message):
    cells = parse(source)
    monkeypatch.setattr(lessons, "lesson_cells", lambda chapter: tuple(cells))
    with pytest.raises(ConfigError) as err:
        chapter_notebook(course, "1")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(("source", "message"), [
    ("# %% source mfdnn.optim.gd:gradient_descent\nprint(1)\n", "must be empty"),
    ("# %% sauce mfdnn.optim.gd:gradient_descent\n", "unknown cell marker"),
    ("# %% [markdown]\nnot a comment\n", "a Markdown line must be a comment"),
])
def test_a_malformed_lesson_source_is_refused(source, message):
    with pytest.raises(ConfigError, match=message):
        parse(source, "chapter-9.py")


def test_a_method_is_shown_dedented():
    assert source_of("mfdnn.optim.sgd:SGD.update").startswith("def update(self, theta")


def test_show_run_reuses_only_the_same_finished_run(tmp_path):
    pytest.importorskip("IPython")
    out = tmp_path / "runs" / "hw1-conv1d"
    stamp = lambda: (out / "manifest.json").stat().st_mtime_ns  # noqa: E731
    first = show_run("hw1-conv1d", "quick", out)
    written = stamp()
    again = show_run("hw1-conv1d", "quick", out)
    assert stamp() == written, "the same finished run is reused, not run again"
    assert again.manifest == first.manifest
    assert again.metrics == first.metrics and again.claims == first.claims

    assert finished_run("hw1-conv1d", "quick", out, seed=1) is None  # another seed
    assert finished_run("hw1-conv1d", "quick", out, overrides=["lr=0.02"]) is None
    assert finished_run("hw1-conv1d", "full", out) is None  # same config, another profile
    changed = show_run("hw1-conv1d", "quick", out, overrides=["lr=0.02"])
    assert stamp() != written
    assert changed.metrics["objective"] != first.metrics["objective"]
    assert finished_run("hw1-conv1d", "quick", out) is None  # the folder holds the lr=0.02 run

    show_run("hw1-conv1d", "quick", out)
    (out / "objective.png").unlink()  # an output missing: not finished
    assert finished_run("hw1-conv1d", "quick", out) is None
    (out / "manifest.json").unlink()  # what a failed run leaves: no manifest
    assert finished_run("hw1-conv1d", "quick", out) is None
    record = show_run("hw1-conv1d", "quick", out)
    assert record.metrics == first.metrics and (out / "objective.png").is_file()
    written = stamp()
    show_run("hw1-conv1d", "quick", out, rerun=True)
    assert stamp() != written


def test_every_chapter_has_its_lesson(course):
    assert CHAPTERS == ALL == [c.id for c in course.chapters]
