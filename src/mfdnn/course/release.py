"""``mfdnn homework release``: starter files from the reference solutions.

A reference solution (``course/solutions/hwN/<file>.py``) marks what the student writes::

    def __matmul__(self, x):
        # BEGIN SOLUTION: (Ax)_j = sum_t k_t x_{j+t}, one comprehension
        return np.array([self.k @ x[j:j + self.r] for j in range(self.n - self.r + 1)])
        # END SOLUTION

The starter keeps everything else (the scaffolding, plots and prints) and replaces each region
by the hint and a ``raise NotImplementedError`` at the region's indentation::

    def __matmul__(self, x):
        # TODO: (Ax)_j = sum_t k_t x_{j+t}, one comprehension
        raise NotImplementedError("conv1D.py: (Ax)_j = sum_t k_t x_{j+t}, one comprehension")

so the file is valid Python, holds no solution code, and fails clearly where work is left.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from mfdnn.course.metadata import Course
from mfdnn.errors import ConfigError

BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION(?::\s*(?P<hint>.*))?$")
END = re.compile(r"^\s*# END SOLUTION\s*$")


def solution_path(course: Course, hw: str, name: str) -> Path:
    return course.root / "solutions" / hw / name


def strip_solutions(source: str, filename: str) -> str:
    """The starter text of one reference solution (see the module docstring)."""
    out: list[str] = []
    inside: re.Match | None = None
    start = 0
    for number, line in enumerate(source.splitlines(), 1):
        if inside is None:
            m = BEGIN.match(line)
            if m:
                inside, start = m, number
                continue
            if END.match(line):
                raise ConfigError(f"{filename} line {number}: END SOLUTION without BEGIN")
            out.append(line)
        elif BEGIN.match(line):
            raise ConfigError(f"{filename} line {number}: nested BEGIN SOLUTION (the region "
                              f"opened at line {start} is not closed)")
        elif END.match(line):
            indent = inside.group("indent")
            hint = (inside.group("hint") or "your code here").strip()
            out.append(f"{indent}# TODO: {hint}")
            out.append(f"{indent}raise NotImplementedError({f'{filename}: {hint}'!r})")
            inside = None
    if inside is not None:
        raise ConfigError(f"{filename} line {start}: BEGIN SOLUTION is never closed")
    text = "\n".join(out) + "\n"
    try:
        ast.parse(text, filename)
    except SyntaxError as exc:
        raise ConfigError(f"{filename}: the starter is not valid Python (line {exc.lineno}: "
                          f"{exc.msg}); check the solution markers") from None
    return text


def solution_regions(source: str) -> list[str]:
    """The code lines inside the solution regions (for tests: none may leak into a starter)."""
    lines, inside = [], False
    for line in source.splitlines():
        if BEGIN.match(line):
            inside = True
        elif END.match(line):
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


def release(course: Course, hw: str, out: Path) -> list[Path]:
    """Write the starter files of homework ``hw`` to ``out``; return their paths."""
    homework = course.get_homework(hw)
    if not homework.files:
        raise ConfigError(f"{homework.id} has no programming files (written problems only)")
    present = [f for f in homework.files if solution_path(course, homework.id, f).exists()]
    if not present:
        raise ConfigError(f"{homework.id}: no reference solutions in "
                          f"{solution_path(course, homework.id, '')} yet")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in present:
        source_path = solution_path(course, homework.id, name)
        text = strip_solutions(source_path.read_text(encoding="utf-8"), name)
        target = out / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def missing_solutions(course: Course, hw: str) -> list[str]:
    """The homework's files that have no reference solution yet (``release`` skips them)."""
    h = course.get_homework(hw)
    return [f for f in h.files if not solution_path(course, h.id, f).exists()]


def released_homework(course: Course) -> list[str]:
    """Homework with at least one reference solution (so ``release`` works)."""
    return [h.id for h in course.homework
            if any(solution_path(course, h.id, f).exists() for f in h.files)]
