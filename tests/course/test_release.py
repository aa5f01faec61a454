"""Homework release: starters are valid Python, hold no solution code, fail clearly."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from mfdnn.course.release import release, released_homework, solution_regions, strip_solutions
from mfdnn.errors import ConfigError

pytestmark = [pytest.mark.hw1, pytest.mark.hw4]


def test_every_released_homework_gives_valid_starters_without_solution_code(course, tmp_path):
    assert {"hw1", "hw4"} <= set(released_homework(course))
    for hw in released_homework(course):
        files = release(course, hw, tmp_path / hw)
        expected = [f for f in course.get_homework(hw).files
                    if (course.root / "solutions" / hw / f).exists()]
        assert [f.name for f in files] == expected
        for path in files:
            starter = path.read_text()
            ast.parse(starter)
            assert "BEGIN SOLUTION" not in starter and "END SOLUTION" not in starter
            reference = (course.root / "solutions" / hw / path.name).read_text()
            regions = solution_regions(reference)
            assert regions, f"{path.name} has no solution region"
            starter_lines = [line.strip() for line in starter.splitlines()]
            reference_lines = [line.strip() for line in reference.splitlines()]
            # a region line leaks if the starter has it more often than the reference has it
            # outside the regions (scaffolding may share a line with the solution)
            leaked = [line for line in set(regions) if starter_lines.count(line)
                      > reference_lines.count(line) - regions.count(line)]
            assert not leaked, f"{path.name} leaks solution lines: {leaked}"
            assert starter.count("raise NotImplementedError") == reference.count(
                "BEGIN SOLUTION")


def test_a_starter_fails_clearly_where_the_student_must_fill_in(course, tmp_path):
    (path,) = [p for p in release(course, "hw1", tmp_path) if p.name == "conv1D.py"]
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode != 0
    assert "NotImplementedError: conv1D.py: return A @ x" in proc.stderr


def test_the_region_hint_becomes_a_todo_at_the_same_indentation():
    source = ("def f(x):\n    y = 1\n    # BEGIN SOLUTION: return x + y\n    return x + y\n"
              "    # END SOLUTION\n")
    assert strip_solutions(source, "f.py") == (
        "def f(x):\n    y = 1\n    # TODO: return x + y\n"
        "    raise NotImplementedError('f.py: return x + y')\n")


@pytest.mark.parametrize("source, message", [
    ("def f():\n    # BEGIN SOLUTION\n    pass\n", "never closed"),
    ("def f():\n    pass\n    # END SOLUTION\n", "END SOLUTION without BEGIN"),
    ("def f():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n", "nested"),
    ("def f(:\n    # BEGIN SOLUTION\n    pass\n    # END SOLUTION\n", "not valid Python"),
])
def test_broken_markers_are_reported(source, message):
    with pytest.raises(ConfigError, match=message):
        strip_solutions(source, "f.py")


def test_release_of_a_written_homework_or_unknown_homework_is_refused(course, tmp_path):
    with pytest.raises(ConfigError, match="written problems only"):
        release(course, "8", tmp_path)
    with pytest.raises(ConfigError, match="unknown homework '13'"):
        release(course, "13", tmp_path)
