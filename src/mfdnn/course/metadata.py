"""``course/course.yml``: the course's metadata, validated on load.

Every command of the course system reads the file through :func:`load_course`. A missing or
ill-typed field raises :class:`mfdnn.errors.ConfigError` with one line naming the field by its
path (``homework[3].due: expected a date YYYY-MM-DD[ HH:MM] or TBA, got '2024-13-01'``).

Values the course material does not give (rooms, dates, teaching assistants) are
placeholders: strings starting with ``TBA``. :func:`is_placeholder` tells them apart, and the
site prints them as "to be announced".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mfdnn.errors import ConfigError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")
_HW_ID = re.compile(r"^hw([1-9]|1[0-2])$")


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.strip().upper().startswith("TBA")


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    weeks: str
    summary: str
    topics: tuple[str, ...]
    homework: tuple[str, ...]


@dataclass(frozen=True)
class Homework:
    id: str
    title: str
    chapter: str
    due: str  # "YYYY-MM-DD[ HH:MM]" or a placeholder
    files: tuple[str, ...]
    tasks: tuple[str, ...]

    @property
    def number(self) -> int:
        return int(self.id[2:])


@dataclass(frozen=True)
class Course:
    title: str
    code: str
    institution: str
    term: str
    language: str
    description: str
    prerequisites: str
    lectures: tuple[dict[str, str], ...]
    staff: tuple[dict[str, str], ...]
    announcements: tuple[dict[str, str], ...]
    weights: dict[str, float]
    homework_policy: str
    exams: tuple[dict[str, str], ...]
    chapters: tuple[Chapter, ...]
    schedule: tuple[dict[str, Any], ...]
    homework: tuple[Homework, ...]
    tutorials: tuple[dict[str, str], ...]
    path: Path = field(default=Path("course/course.yml"))

    def get_homework(self, hw: str) -> Homework:
        key = normalise_homework_id(hw)
        for h in self.homework:
            if h.id == key:
                return h
        raise ConfigError(f"unknown homework '{hw}'; choose from "
                          f"{', '.join(h.id for h in self.homework)}")

    def get_chapter(self, chapter: str) -> Chapter:
        key = str(chapter).removeprefix("ch").removeprefix("Ch").upper()
        for c in self.chapters:
            if c.id.upper() == key:
                return c
        raise ConfigError(f"unknown chapter '{chapter}'; choose from "
                          f"{', '.join(c.id for c in self.chapters)}")

    def chapter_of_homework(self, hw: str) -> str:
        return self.get_homework(hw).chapter

    @property
    def root(self) -> Path:
        """The folder holding ``course.yml`` (and ``solutions/``)."""
        return self.path.parent


def normalise_homework_id(hw: str | int) -> str:
    """``1``, ``"1"``, ``"HW1"`` and ``"hw1"`` all name ``hw1``."""
    text = str(hw).strip().lower()
    return text if text.startswith("hw") else f"hw{text}"


# -- validation helpers ---------------------------------------------------------------------

def _fail(where: str, message: str) -> None:
    raise ConfigError(f"{where}: {message}")


def _get(d: dict, key: str, where: str, kind: type | tuple, default: Any = ...) -> Any:
    if not isinstance(d, dict):
        _fail(where, f"expected a mapping, got {type(d).__name__}")
    path = f"{where}.{key}" if where else key
    if key not in d:
        if default is ...:
            _fail(path, "missing")
        return default
    value = d[key]
    if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        _fail(path, f"expected {names}, got {type(value).__name__} {value!r}")
    if isinstance(value, str) and not value.strip():
        _fail(path, "must not be empty")
    return value


def _str_list(d: dict, key: str, where: str, default: Any = ...) -> tuple[str, ...]:
    items = _get(d, key, where, list, [] if default is ... else default)
    for i, item in enumerate(items):
        if not isinstance(item, str | int) or isinstance(item, bool):
            _fail(f"{where}.{key}[{i}]", f"expected a string, got {item!r}")
    return tuple(str(i) for i in items)


def _date(value: Any, where: str, allow_time: bool) -> str:
    text = str(value).strip()
    if is_placeholder(text):
        return text
    if not _DATE.match(text) or (" " in text and not allow_time):
        form = "YYYY-MM-DD[ HH:MM]" if allow_time else "YYYY-MM-DD"
        _fail(where, f"expected a date {form} or TBA, got {text!r}")
    try:
        datetime.strptime(text, "%Y-%m-%d %H:%M" if " " in text else "%Y-%m-%d")
    except ValueError:
        _fail(where, f"not a real date: {text!r}")
    return text


def _records(d: dict, key: str, keys: tuple[str, ...], where: str = "") -> tuple[dict, ...]:
    out = []
    for i, item in enumerate(_get(d, key, where, list)):
        here = f"{key}[{i}]"
        out.append({k: str(_get(item, k, here, (str, int))) for k in keys})
    return tuple(out)


def parse_course(raw: Any, path: Path) -> Course:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    chapters = []
    for i, c in enumerate(_get(raw, "chapters", "", list)):
        w = f"chapters[{i}]"
        chapters.append(Chapter(
            id=_get(c, "id", w, str), title=_get(c, "title", w, str),
            weeks=_get(c, "weeks", w, str), summary=_get(c, "summary", w, str),
            topics=_str_list(c, "topics", w), homework=_str_list(c, "homework", w)))
    chapter_ids = [c.id for c in chapters]
    if len(set(chapter_ids)) != len(chapter_ids):
        _fail("chapters", f"duplicate ids in {chapter_ids}")

    homework = []
    for i, h in enumerate(_get(raw, "homework", "", list)):
        w = f"homework[{i}]"
        hid = _get(h, "id", w, str)
        if not _HW_ID.match(hid):
            _fail(f"{w}.id", f"expected hw1 ... hw12, got {hid!r}")
        chapter = _get(h, "chapter", w, str)
        if chapter not in chapter_ids:
            _fail(f"{w}.chapter", f"unknown chapter {chapter!r}; chapters are {chapter_ids}")
        files = _str_list(h, "files", w)
        for j, name in enumerate(files):
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*\.py$", name):
                _fail(f"{w}.files[{j}]", f"expected a Python file name, got {name!r}")
        homework.append(Homework(
            id=hid, title=_get(h, "title", w, str), chapter=chapter,
            due=_date(_get(h, "due", w, (str, int)), f"{w}.due", allow_time=True),
            files=files, tasks=_str_list(h, "tasks", w)))
    ids = [h.id for h in homework]
    if ids != [f"hw{n}" for n in range(1, len(ids) + 1)]:
        _fail("homework", f"expected hw1, hw2, ... in order, got {ids}")
    for c in chapters:
        for j, hid in enumerate(c.homework):
            if hid not in ids:
                _fail(f"chapters[{chapter_ids.index(c.id)}].homework[{j}]",
                      f"unknown homework {hid!r}")

    grading = _get(raw, "grading", "", dict)
    weights = _get(grading, "weights", "grading", dict)
    for part in ("homework", "midterm", "final"):
        _get(weights, part, "grading.weights", (int, float))
    extra = set(weights) - {"homework", "midterm", "final"}
    if extra:
        _fail("grading.weights", f"unknown parts {sorted(extra)}; use homework, midterm, final")
    if abs(sum(weights.values()) - 100) > 1e-9:
        _fail("grading.weights", f"must add up to 100, they add up to {sum(weights.values())}")

    exams = _records(raw, "exams", ("name", "date", "room"))
    for i, e in enumerate(exams):
        _date(e["date"], f"exams[{i}].date", allow_time=True)
    announcements = _records(raw, "announcements", ("date", "title", "text"))
    for i, a in enumerate(announcements):
        _date(a["date"], f"announcements[{i}].date", allow_time=False)

    schedule = []
    for i, s in enumerate(_get(raw, "schedule", "", list)):
        w = f"schedule[{i}]"
        week = _get(s, "week", w, int)
        chs = _str_list(s, "chapters", w)
        for j, ch in enumerate(chs):
            if ch not in chapter_ids:
                _fail(f"{w}.chapters[{j}]", f"unknown chapter {ch!r}")
        schedule.append({"week": week, "chapters": chs, "topics": _get(s, "topics", w, str)})

    return Course(
        title=_get(raw, "title", "", str), code=_get(raw, "code", "", str),
        institution=_get(raw, "institution", "", str), term=_get(raw, "term", "", str),
        language=_get(raw, "language", "", str), description=_get(raw, "description", "", str),
        prerequisites=_get(raw, "prerequisites", "", str),
        lectures=_records(raw, "lectures", ("day", "time", "room")),
        staff=_records(raw, "staff", ("name", "role", "email", "office_hours")),
        announcements=announcements,
        weights={k: float(v) for k, v in weights.items()},
        homework_policy=_get(grading, "homework_policy", "grading", str),
        exams=exams, chapters=tuple(chapters), schedule=tuple(schedule),
        homework=tuple(homework),
        tutorials=_records(raw, "tutorials", ("id", "title")),
        path=path,
    )


def default_course_path() -> Path:
    """``$MFDNN_COURSE``, else ``course/course.yml`` of this source tree, else of the cwd."""
    import os

    import mfdnn

    if os.environ.get("MFDNN_COURSE"):
        return Path(os.environ["MFDNN_COURSE"])
    repo = Path(mfdnn.__file__).resolve().parents[2] / "course" / "course.yml"
    return repo if repo.exists() else Path("course/course.yml")


def load_course(path: Path | str | None = None) -> Course:
    import yaml

    path = Path(path) if path else default_course_path()
    if path.is_dir():
        path = path / "course.yml"
    if not path.exists():
        raise ConfigError(f"course metadata not found: {path} (pass --course or set MFDNN_COURSE)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    return parse_course(raw, path)
