"""``mfdnn gradebook``: final grades from homework and exam scores, by the rule of ``course.yml``.

Inputs:

* ``--homework DIR``: one folder per graded homework (``hw1``, ``hw2``, ...), each holding the
  ``grades.csv`` that ``mfdnn grade`` wrote (columns ``student``, ``score``, ``max_score``, ...);
  a written homework (HW8) is entered by hand in the same three columns.
* ``--exams CSV``: columns ``student``, ``midterm``, ``final``, each out of 100; an empty cell
  means the student did not sit that exam.

The rule (``grading`` in ``course.yml``; :func:`policy_text` states it on the site, and
:func:`homework_part` computes it, so the two cannot disagree)::

    percent_h = 100 * score_h / max_score_h           (0 where the student has no row)
    homework  = mean of percent_h over the sets       (all twelve, unless `over: graded`),
                after leaving out each student's `drop_lowest` lowest
    total     = (w_hw * homework + w_mid * midterm + w_final * final) / 100   (30 / 30 / 40)

Students are matched across all files by name, ignoring case and repeated spaces. A student
found only in the exams, or only in the homework, gets one warning line (and 0 for what is
missing). In the output CSV a cell ``missing`` is a submission (or exam) with no score,
counted as 0, and ``not graded`` a homework set with no ``grades.csv`` at all; a real 0 is
written ``0.00``. Any impossible score (above the maximum, negative, not a number) stops the
command with one line naming the file and line, and nothing is written.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mfdnn.course.metadata import Course
from mfdnn.data.files import write_text_atomic
from mfdnn.errors import ConfigError

MISSING = "missing"
NOT_GRADED = "not graded"
EXAM_MAX = 100.0


def policy_text(course: Course) -> str:
    """The grading rule in words, for the site: the same rule :func:`homework_part` computes."""
    w, rule = course.weights, course.homework_rule
    n = len(course.homework)
    sets = f"all {n} homework sets" if rule.over == "all" else "the homework sets graded"
    drop = (f", leaving out each student's lowest {rule.drop_lowest}" if rule.drop_lowest
            else "")
    return (f"The homework part is the mean of the scores of {sets}{drop}, each in percent "
            f"of its maximum; a homework not submitted counts 0. The final grade is "
            f"{w['homework'] / 100:.2f} × homework + {w['midterm'] / 100:.2f} × midterm + "
            f"{w['final'] / 100:.2f} × final, each out of 100.")


def homework_part(course: Course, percents: dict[str, float | None]) -> float:
    """The homework part of one student: ``percents[hw]`` is the score in percent, None for
    no submission (counts 0); a homework absent from ``percents`` was not graded."""
    rule = course.homework_rule
    ids = [h.id for h in course.homework]
    if rule.over == "graded":
        ids = [hw for hw in ids if hw in percents]
    scores = sorted(percents.get(hw) or 0.0 for hw in ids)  # missing and not graded count 0
    scores = scores[min(rule.drop_lowest, max(len(scores) - 1, 0)):]
    return sum(scores) / len(scores) if scores else 0.0


def student_key(name: str) -> str:
    """Names match ignoring case and repeated spaces: "Kim  Jae Yeon" == "kim jae yeon"."""
    return " ".join(name.split()).casefold()


def _number(text: str | None, where: str, column: str) -> float:
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: {column}: expected a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{where}: {column}: expected a non-negative number, got {text!r}")
    return value


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            names = [n.strip() for n in reader.fieldnames or []]
            missing = [c for c in columns if c not in names]
            if missing:
                raise ConfigError(f"{path}: missing column(s) {', '.join(missing)} (has "
                                  f"{', '.join(names) or 'no header'})")
            reader.fieldnames = names
            return [(i, row) for i, row in enumerate(reader, 2)]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: not a readable CSV file ({exc})") from None


@dataclass
class Roster:
    """Students by :func:`student_key`, with the spelling first seen (exams first)."""

    names: dict[str, str]

    def add(self, name: str, path: Path, line: int, seen: dict[str, int]) -> str:
        """The key of ``name`` (line ``line`` of ``path``); ``seen``: the file's keys so far."""
        if not name.strip():
            raise ConfigError(f"{path} line {line}: empty student name")
        key = student_key(name)
        if key in seen:
            raise ConfigError(f"{path} line {line}: student {name.strip()!r} appears twice "
                              f"(also line {seen[key]}; names match ignoring case)")
        seen[key] = line
        self.names.setdefault(key, " ".join(name.split()))
        return key


def read_exams(path: Path, roster: Roster) -> dict[str, dict[str, float | None]]:
    """``{student: {"midterm": score or None, "final": ...}}``; an empty cell is None."""
    out: dict[str, dict[str, float | None]] = {}
    seen: dict[str, int] = {}
    for line, row in _read_csv(path, ("student", "midterm", "final")):
        where = f"{path} line {line}"
        key = roster.add(row["student"] or "", path, line, seen)
        scores: dict[str, float | None] = {}
        for exam in ("midterm", "final"):
            text = (row[exam] or "").strip()
            value = _number(text, where, exam) if text else None
            if value is not None and value > EXAM_MAX:
                raise ConfigError(f"{where}: {exam} {value:g} is above the maximum "
                                  f"{EXAM_MAX:g} (exam scores are out of 100)")
            scores[exam] = value
        out[key] = scores
    return out


def read_homework(course: Course, folder: Path, roster: Roster
                  ) -> dict[str, dict[str, float]]:
    """``{hw: {student: percent}}`` for every homework folder with a ``grades.csv``."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: not a folder of graded homework")
    out: dict[str, dict[str, float]] = {}
    for hw in course.homework:
        path = folder / hw.id / "grades.csv"
        if not path.exists():
            continue
        scores: dict[str, float] = {}
        seen: dict[str, int] = {}
        for line, row in _read_csv(path, ("student", "score", "max_score")):
            where = f"{path} line {line}"
            score = _number(row["score"], where, "score")
            top = _number(row["max_score"], where, "max_score")
            if top <= 0:
                raise ConfigError(f"{where}: max_score must be positive, got {top:g}")
            if score > top:
                raise ConfigError(f"{where}: score {score:g} is above the maximum {top:g}")
            scores[roster.add(row["student"] or "", path, line, seen)] = 100 * score / top
        out[hw.id] = scores
    if not out:
        raise ConfigError(f"{folder}: no hwN/grades.csv found (N = 1 ... {len(course.homework)})")
    return out


def _cell(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}"


def gradebook(course: Course, homework_dir: Path, exams_csv: Path,
              warn: Callable[[str], None] = lambda line: None) -> list[dict[str, str]]:
    """The rows of the final-grades table (see the module docstring); ``warn`` gets each
    warning line."""
    roster = Roster({})
    exams = read_exams(exams_csv, roster)  # exams first: their spelling of a name wins
    homework = read_homework(course, homework_dir, roster)
    for h in course.homework:
        if h.id not in homework and course.homework_rule.over == "all":
            warn(f"warning: {h.id} is not graded ({homework_dir / h.id / 'grades.csv'} does not "
                 "exist): it counts 0 for every student (grading.homework.over: all)")
    in_homework = {s for scores in homework.values() for s in scores}
    for key in sorted(roster.names):
        name = roster.names[key]
        if key not in in_homework:
            warn(f"warning: {name} is in {exams_csv} but in no homework grades.csv "
                 "(every homework counts 0)")
        elif key not in exams:
            warn(f"warning: {name} is in the homework grades but not in {exams_csv} "
                 "(midterm and final count 0)")
    w = course.weights
    rows = []
    for key in sorted(roster.names):
        percents = {hw: scores.get(key) for hw, scores in homework.items()}
        hw_part = homework_part(course, percents)
        exam = exams.get(key, {"midterm": None, "final": None})
        total = (w["homework"] * hw_part + w["midterm"] * (exam["midterm"] or 0.0)
                 + w["final"] * (exam["final"] or 0.0)) / 100
        row = {"student": roster.names[key]}
        row.update({h.id: _cell(percents[h.id]) if h.id in percents else NOT_GRADED
                    for h in course.homework})
        row.update(homework=f"{hw_part:.2f}", midterm=_cell(exam["midterm"]),
                   final=_cell(exam["final"]), total=f"{total:.2f}")
        rows.append(row)
    return rows


def write_gradebook(course: Course, homework_dir: Path, exams_csv: Path, out: Path,
                    warn: Callable[[str], None] = lambda line: None) -> list[dict[str, str]]:
    """Compute the gradebook and write it to ``out`` (atomically: all of it or nothing)."""
    rows = gradebook(course, homework_dir, exams_csv, warn)
    columns = ["student", *(h.id for h in course.homework), "homework", "midterm", "final",
               "total"]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text_atomic(out, text.getvalue())
    return rows
