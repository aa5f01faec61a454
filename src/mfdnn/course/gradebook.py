"""``mfdnn gradebook``: final grades from homework and exam scores, with the course's weights.

Inputs:

* ``--homework DIR``: one folder per graded homework (``hw1``, ``hw2``, ...), each holding the
  ``grades.csv`` that ``mfdnn grade`` wrote (columns ``student``, ``score``, ``max_score``, ...);
  a written homework can be entered by hand in the same three columns.
* ``--exams CSV``: columns ``student``, ``midterm``, ``final``, each out of 100.

Each homework is scored in percent (score / max_score * 100; a student with no row gets 0).
The homework part is the mean over the homework sets graded so far (the folders present),
and the total is ``weights.homework * homework + weights.midterm * midterm + weights.final
* final`` / 100, with the weights of ``course.yml`` (30 / 30 / 40).
"""

from __future__ import annotations

import csv
from pathlib import Path

from mfdnn.course.metadata import Course
from mfdnn.errors import ConfigError


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a number, got {text!r}") from None
    if value != value or value < 0:
        raise ConfigError(f"{where}: expected a non-negative number, got {text!r}")
    return value


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ConfigError(f"{path}: missing column(s) {', '.join(missing)} (has "
                              f"{', '.join(reader.fieldnames or [])})")
        return list(reader)


def homework_percentages(course: Course, folder: Path) -> dict[str, dict[str, float]]:
    """``{hw: {student: percent}}`` for every homework folder present."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: not a folder of graded homework")
    out: dict[str, dict[str, float]] = {}
    for hw in course.homework:
        path = folder / hw.id / "grades.csv"
        if not path.exists():
            continue
        scores = {}
        for i, row in enumerate(_read_csv(path, ("student", "score", "max_score")), 2):
            where = f"{path} line {i}"
            score, top = _number(row["score"], where), _number(row["max_score"], where)
            if top <= 0 or score > top:
                raise ConfigError(f"{where}: score {score:g} out of {top:g} is impossible")
            scores[row["student"]] = 100 * score / top
        out[hw.id] = scores
    if not out:
        raise ConfigError(f"{folder}: no hwN/grades.csv found")
    return out


def write_gradebook(course: Course, homework_dir: Path, exams_csv: Path, out: Path
                    ) -> list[dict[str, str]]:
    homework = homework_percentages(course, homework_dir)
    exams = {}
    for i, row in enumerate(_read_csv(exams_csv, ("student", "midterm", "final")), 2):
        where = f"{exams_csv} line {i}"
        mid, fin = _number(row["midterm"], where), _number(row["final"], where)
        if mid > 100 or fin > 100:
            raise ConfigError(f"{where}: exam scores are out of 100")
        exams[row["student"]] = (mid, fin)
    students = sorted(set(exams) | {s for scores in homework.values() for s in scores})
    w = course.weights
    rows = []
    for student in students:
        per_hw = {hw: scores.get(student, 0.0) for hw, scores in homework.items()}
        hw_mean = sum(per_hw.values()) / len(per_hw)
        mid, fin = exams.get(student, (0.0, 0.0))
        total = (w["homework"] * hw_mean + w["midterm"] * mid + w["final"] * fin) / 100
        row = {"student": student}
        row.update({h.id: (f"{per_hw[h.id]:.2f}" if h.id in per_hw else "")
                    for h in course.homework})
        row.update(homework=f"{hw_mean:.2f}", midterm=f"{mid:.2f}", final=f"{fin:.2f}",
                   total=f"{total:.2f}", missing_exams="yes" if student not in exams else "")
        rows.append(row)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["student"])
        writer.writeheader()
        writer.writerows(rows)
    return rows
