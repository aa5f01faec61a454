"""``course/course.yml``: one offering of the course, validated on load.

Every command of the course system reads the file through :func:`load_course`. A missing or
ill-typed field raises :class:`mfdnn.errors.ConfigError` with one line naming the field by its
path (``homework[3].due: expected YYYY-MM-DD HH:MM, got '2022-13-01 17:00'``), so the
command line exits with status 2 and that line.

The file of this repository describes the Fall 2022 offering (its course page is the source
of every fact); another term is another file (``--course FILE``). Dates are ``YYYY-MM-DD``
and times ``HH:MM`` (24-hour); :func:`due_text`, :func:`time_range` and :func:`day_date`
write them the way the course page does ("Due 09/07, 5pm", "8:00am–12:00pm").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from mfdnn.errors import ConfigError

_HW_ID = re.compile(r"^hw([1-9]|1[0-2])$")
_PY_FILE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.py$")
_OTHER_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_WEEKS = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STAFF_ROLES = ("instructor", "graduate teaching assistant", "undergraduate teaching assistant",
               "teaching assistant")


# -- the records --------------------------------------------------------------------------

@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    weeks: str
    summary: str
    topics: tuple[str, ...]
    homework: tuple[str, ...]
    notebook: bool = True  # whether the course page lists a notebook for it


@dataclass(frozen=True)
class MadeFile:
    """A homework file the package makes (the course's own is not available)."""

    name: str
    made_by: str  # the command, "mfdnn run EXPERIMENT [...]"
    about: str

    @property
    def experiment(self) -> str:
        return self.made_by.split()[2]


@dataclass(frozen=True)
class Homework:
    id: str
    title: str
    chapter: str
    due: datetime | None
    listed: tuple[str, ...]  # every file name as the page lists them, in its order
    made: tuple[MadeFile, ...]
    tasks: tuple[str, ...]

    @property
    def number(self) -> int:
        return int(self.id[2:])

    @property
    def files(self) -> tuple[str, ...]:
        """The Python files a student writes (starters, checks and grading use these)."""
        return tuple(f for f in self.listed if f.endswith(".py"))

    @property
    def heading(self) -> str:
        """"Homework 1, Due 09/07, 5pm", as on the course page."""
        return f"Homework {self.number}" + (f", {due_text(self.due)}" if self.due else "")


@dataclass(frozen=True)
class Exam:
    id: str
    title: str
    date: date
    start: time
    end: time

    @property
    def when(self) -> str:
        """"Saturday, 10/15, 8:00am–12:00pm"."""
        return f"{day_date(self.date)}, {time_range(self.start, self.end)}"


@dataclass(frozen=True)
class SampleExam:
    title: str
    file: str  # relative to the folder of course.yml


@dataclass(frozen=True)
class Lectures:
    format: str
    days: tuple[str, ...]
    start: time
    end: time
    room: str
    online: str
    attendance: str
    thanks: str

    @property
    def day_names(self) -> str:
        """"Tuesdays and Thursdays"."""
        return join_and([d + "s" for d in self.days])

    @property
    def when(self) -> str:
        """"Tuesdays and Thursdays 5:00–6:15pm"."""
        return f"{self.day_names} {time_range(self.start, self.end)}"


@dataclass(frozen=True)
class Staff:
    name: str
    role: str
    office: str = ""
    email: str = ""


@dataclass(frozen=True)
class WeekPlan:
    weeks: str  # "8" or "10-11", as on the page
    first: int
    last: int
    topic: str
    chapters: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    title: str
    by: str = ""  # a course: "<by>'s <title> at <at>"
    at: str = ""
    authors: str = ""  # a book: "<title> by <authors>"


@dataclass(frozen=True)
class HomeworkRule:
    """How the homework part of the final grade is computed (``mfdnn.course.gradebook``)."""

    over: str = "all"  # "all": every homework of course.yml; "graded": the sets graded
    drop_lowest: int = 0
    missing: str = "zero"


@dataclass(frozen=True)
class Course:
    title: str
    title_ko: str
    code: str
    institution: str
    term: str
    first_week: date | None
    secondary_site: dict[str, Any]
    announcements: tuple[str, ...]
    lectures: Lectures | None
    staff: tuple[Staff, ...]
    exam_format: str
    exam_hours: float
    exams: tuple[Exam, ...]
    sample_exams: tuple[SampleExam, ...]
    weights: dict[str, float]
    homework_rule: HomeworkRule
    prerequisites: dict[str, Any]
    python_tutorial: dict[str, str]
    references: dict[str, Any]
    matrix_calculus: dict[str, Any]
    tutorials: tuple[dict[str, str], ...]
    chapters: tuple[Chapter, ...]
    schedule: tuple[WeekPlan, ...]
    homework: tuple[Homework, ...]
    end_of_page: dict[str, Any]
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

    def week_of(self, day: date) -> int | None:
        """The week (1, 2, ...) a date falls in, weeks running Monday to Sunday from
        ``first_week``; None without ``first_week``."""
        if self.first_week is None:
            return None
        return (day - self.first_week).days // 7 + 1

    @property
    def root(self) -> Path:
        """The folder holding ``course.yml`` (and ``solutions/``, ``exams/``)."""
        return self.path.parent


def normalise_homework_id(hw: str | int) -> str:
    """``1``, ``"1"``, ``"HW1"`` and ``"hw1"`` all name ``hw1``."""
    text = str(hw).strip().lower()
    return text if text.startswith("hw") else f"hw{text}"


# -- how the page writes dates and times --------------------------------------------------

def clock(t: time, meridiem: bool = True) -> str:
    """17:00 -> "5:00pm", 08:00 -> "8:00am" (without "am"/"pm" if ``meridiem`` is False)."""
    hour = t.hour % 12 or 12
    return f"{hour}:{t.minute:02d}" + (("am" if t.hour < 12 else "pm") if meridiem else "")


def time_range(start: time, end: time) -> str:
    """"5:00–6:15pm" (one meridiem where both share it), "8:00am–12:00pm" otherwise."""
    same = (start.hour < 12) == (end.hour < 12)
    return f"{clock(start, meridiem=not same)}–{clock(end)}"


def due_text(due: datetime) -> str:
    """"Due 09/07, 5pm" ("5:30pm" where the minutes are not 0)."""
    hour = due.hour % 12 or 12
    minutes = f":{due.minute:02d}" if due.minute else ""
    return f"Due {due:%m/%d}, {hour}{minutes}{'am' if due.hour < 12 else 'pm'}"


def day_date(day: date) -> str:
    """"Saturday, 10/15"."""
    return f"{WEEKDAYS[day.weekday()]}, {day:%m/%d}"


def join_and(items: list[str]) -> str:
    """"a", "a and b", "a, b, and c" (the page's serial comma)."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


# -- validation helpers -------------------------------------------------------------------

def _fail(where: str, message: str) -> None:
    raise ConfigError(f"{where}: {message}")


def _get(d: Any, key: str, where: str, kind: type | tuple, default: Any = ...) -> Any:
    if not isinstance(d, dict):
        _fail(where or "top level", f"expected a mapping, got {type(d).__name__}")
    path = f"{where}.{key}" if where else key
    if key not in d or d[key] is None:
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
    path = f"{where}.{key}" if where else key
    for i, item in enumerate(items):
        if not isinstance(item, str | int) or isinstance(item, bool) or not str(item).strip():
            _fail(f"{path}[{i}]", f"expected a string, got {item!r}")
    return tuple(str(i) for i in items)


def _date(d: dict, key: str, where: str, default: Any = ...) -> date | None:
    value = _get(d, key, where, (str, date), default)
    if isinstance(value, datetime):
        _fail(f"{where}.{key}" if where else key, f"expected YYYY-MM-DD, got '{value}'")
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _fail(f"{where}.{key}" if where else key, f"expected YYYY-MM-DD, got {value!r}")


def _time(d: dict, key: str, where: str) -> time:
    value = d.get(key) if isinstance(d, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):  # YAML reads 17:00 as 1020
        _fail(f"{where}.{key}", f'expected HH:MM in quotes ("17:00"), got {value!r}')
    value = _get(d, key, where, str)
    try:
        return datetime.strptime(value.strip(), "%H:%M").time()
    except ValueError:
        _fail(f"{where}.{key}", f"expected HH:MM, got {value!r}")


def _due(d: dict, where: str) -> datetime | None:
    value = _get(d, "due", where, (str, datetime, date), None)
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        _fail(f"{where}.due", f"expected YYYY-MM-DD HH:MM (the time too), got '{value}'")
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        _fail(f"{where}.due", f"expected YYYY-MM-DD HH:MM, got {value!r}")


def _choice(value: str, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        _fail(where, f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def _list(raw: dict, key: str, where: str = "", default: Any = ...) -> list:
    return _get(raw, key, where, list, default)


# -- the sections -------------------------------------------------------------------------

def _chapters(raw: dict) -> tuple[Chapter, ...]:
    chapters = []
    for i, c in enumerate(_list(raw, "chapters")):
        w = f"chapters[{i}]"
        chapters.append(Chapter(
            id=_get(c, "id", w, str), title=_get(c, "title", w, str),
            weeks=_get(c, "weeks", w, str), summary=_get(c, "summary", w, str),
            topics=_str_list(c, "topics", w), homework=_str_list(c, "homework", w, ()),
            notebook=_get(c, "notebook", w, bool, True)))
    ids = [c.id for c in chapters]
    if len(set(ids)) != len(ids):
        _fail("chapters", f"duplicate ids in {ids}")
    return tuple(chapters)


def _homework_files(h: dict, w: str) -> tuple[tuple[str, ...], tuple[MadeFile, ...]]:
    listed, made = [], []
    for j, item in enumerate(_list(h, "files", w)):
        here = f"{w}.files[{j}]"
        if isinstance(item, dict):
            name = _get(item, "name", here, str)
            command = _get(item, "made_by", here, str)
            if not re.match(r"^mfdnn run [a-z0-9][a-z0-9-]*( .*)?$", command):
                _fail(f"{here}.made_by", f"expected 'mfdnn run EXPERIMENT ...', got {command!r}")
            made.append(MadeFile(name, command, _get(item, "about", here, str)))
        elif isinstance(item, str):
            name = item
            if not _PY_FILE.match(name):
                _fail(here, f"expected a Python file name (or a mapping with name and made_by "
                            f"for a file the package makes), got {name!r}")
        else:
            _fail(here, f"expected a file name, got {item!r}")
        if not _OTHER_FILE.match(name):
            _fail(here, f"expected a plain file name, got {name!r}")
        if name in listed:
            _fail(here, f"{name} is listed twice")
        listed.append(name)
    return tuple(listed), tuple(made)


def _homework(raw: dict, chapter_ids: list[str]) -> tuple[Homework, ...]:
    homework = []
    for i, h in enumerate(_list(raw, "homework")):
        w = f"homework[{i}]"
        hid = _get(h, "id", w, str)
        if not _HW_ID.match(hid):
            _fail(f"{w}.id", f"expected hw1 ... hw12, got {hid!r}")
        chapter = _get(h, "chapter", w, str)
        if chapter not in chapter_ids:
            _fail(f"{w}.chapter", f"unknown chapter {chapter!r}; chapters are {chapter_ids}")
        listed, made = _homework_files(h, w)
        homework.append(Homework(
            id=hid, title=_get(h, "title", w, str), chapter=chapter, due=_due(h, w),
            listed=listed, made=made, tasks=_str_list(h, "tasks", w)))
    ids = [h.id for h in homework]
    if ids != [f"hw{n}" for n in range(1, len(ids) + 1)]:
        _fail("homework", f"expected hw1, hw2, ... in order, got {ids}")
    return tuple(homework)


def _grading(raw: dict) -> tuple[dict[str, float], HomeworkRule]:
    grading = _get(raw, "grading", "", dict)
    weights = _get(grading, "weights", "grading", dict)
    for part in ("homework", "midterm", "final"):
        if _get(weights, part, "grading.weights", (int, float)) < 0:
            _fail(f"grading.weights.{part}", "must not be negative")
    extra = set(weights) - {"homework", "midterm", "final"}
    if extra:
        _fail("grading.weights", f"unknown parts {sorted(extra)}; use homework, midterm, final")
    if abs(sum(weights.values()) - 100) > 1e-9:
        _fail("grading.weights", f"must add up to 100, they add up to {sum(weights.values())}")
    rule = _get(grading, "homework", "grading", dict, {})
    w = "grading.homework"
    over = _choice(_get(rule, "over", w, str, "all"), ("all", "graded"), f"{w}.over")
    drop = _get(rule, "drop_lowest", w, int, 0)
    if drop < 0:
        _fail(f"{w}.drop_lowest", f"must not be negative, got {drop}")
    missing = _choice(_get(rule, "missing", w, str, "zero"), ("zero",), f"{w}.missing")
    unknown = set(rule) - {"over", "drop_lowest", "missing"}
    if unknown:
        _fail(w, f"unknown keys {sorted(unknown)}; use over, drop_lowest, missing")
    return {k: float(v) for k, v in weights.items()}, HomeworkRule(over, drop, missing)


def _exams(raw: dict) -> tuple[str, float, tuple[Exam, ...], tuple[SampleExam, ...]]:
    exams = _get(raw, "exams", "", dict)
    listed = []
    for i, e in enumerate(_list(exams, "list", "exams")):
        w = f"exams.list[{i}]"
        listed.append(Exam(_choice(_get(e, "id", w, str), ("midterm", "final"), f"{w}.id"),
                           _get(e, "title", w, str), _date(e, "date", w),
                           _time(e, "start", w), _time(e, "end", w)))
    if sorted(e.id for e in listed) != ["final", "midterm"]:
        _fail("exams.list", "expected one midterm and one final")
    samples = []
    for i, s in enumerate(_list(exams, "samples", "exams", [])):
        w = f"exams.samples[{i}]"
        file = _get(s, "file", w, str)
        if Path(file).is_absolute() or ".." in Path(file).parts:
            _fail(f"{w}.file", f"expected a path inside the course folder, got {file!r}")
        samples.append(SampleExam(_get(s, "title", w, str), file))
    hours = _get(exams, "hours", "exams", (int, float))
    if hours <= 0:
        _fail("exams.hours", f"must be positive, got {hours}")
    return _get(exams, "format", "exams", str), float(hours), tuple(listed), tuple(samples)


def _lectures(raw: dict) -> Lectures | None:
    lec = _get(raw, "lectures", "", dict, None)
    if lec is None:
        return None
    w = "lectures"
    days = _str_list(lec, "days", w)
    for j, day in enumerate(days):
        _choice(day, WEEKDAYS, f"{w}.days[{j}]")
    return Lectures(format=_get(lec, "format", w, str), days=days,
                    start=_time(lec, "start", w), end=_time(lec, "end", w),
                    room=_get(lec, "room", w, str), online=_get(lec, "online", w, str, ""),
                    attendance=_get(lec, "attendance", w, str, ""),
                    thanks=_get(lec, "thanks", w, str, ""))


def _staff(raw: dict) -> tuple[Staff, ...]:
    staff = []
    for i, s in enumerate(_list(raw, "staff")):
        w = f"staff[{i}]"
        staff.append(Staff(_get(s, "name", w, str),
                           _choice(_get(s, "role", w, str), STAFF_ROLES, f"{w}.role"),
                           _get(s, "office", w, str, ""), _get(s, "email", w, str, "")))
    if not any(s.role == "instructor" for s in staff):
        _fail("staff", "expected an instructor")
    return tuple(staff)


def _schedule(raw: dict, chapter_ids: list[str]) -> tuple[WeekPlan, ...]:
    plans = []
    for i, s in enumerate(_list(raw, "schedule")):
        w = f"schedule[{i}]"
        weeks = _get(s, "weeks", w, str)
        m = _WEEKS.match(weeks)
        if not m:
            _fail(f"{w}.weeks", f"expected a week (8) or a span (10-11), got {weeks!r}")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first or (plans and first != plans[-1].last + 1):
            _fail(f"{w}.weeks", f"expected the weeks in order without gaps, got {weeks!r}")
        chapters = _str_list(s, "chapters", w, ())
        for j, ch in enumerate(chapters):
            if ch not in chapter_ids:
                _fail(f"{w}.chapters[{j}]", f"unknown chapter {ch!r}")
        plans.append(WeekPlan(weeks, first, last, _get(s, "topic", w, str), chapters))
    return tuple(plans)


def _references(raw: dict) -> dict[str, Any]:
    refs = _get(raw, "references", "", dict)
    items = []
    for i, r in enumerate(_list(refs, "items", "references")):
        w = f"references.items[{i}]"
        ref = Reference(_get(r, "title", w, str), _get(r, "by", w, str, ""),
                        _get(r, "at", w, str, ""), _get(r, "authors", w, str, ""))
        if not ref.authors and not ref.by:
            _fail(w, "expected 'by' (a course) or 'authors' (a book)")
        items.append(ref)
    return {"intro": _get(refs, "intro", "references", str), "items": tuple(items)}


def _section(raw: dict, key: str, text_keys: tuple[str, ...], list_keys: tuple[str, ...] = ()
             ) -> dict[str, Any]:
    """A section of plain text fields and string lists."""
    d = _get(raw, key, "", dict)
    out: dict[str, Any] = {k: _get(d, k, key, str) for k in text_keys}
    out.update({k: _str_list(d, k, key) for k in list_keys})
    return out


def parse_course(raw: Any, path: Path) -> Course:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    chapters = _chapters(raw)
    chapter_ids = [c.id for c in chapters]
    homework = _homework(raw, chapter_ids)
    ids = [h.id for h in homework]
    for c in chapters:
        for j, hid in enumerate(c.homework):
            if hid not in ids:
                _fail(f"chapters[{chapter_ids.index(c.id)}].homework[{j}]",
                      f"unknown homework {hid!r}")
    weights, rule = _grading(raw)
    exam_format, exam_hours, exams, samples = _exams(raw)

    prereq = _get(raw, "prerequisites", "", dict)
    subjects = []
    for i, s in enumerate(_list(prereq, "subjects", "prerequisites")):
        w = f"prerequisites.subjects[{i}]"
        subjects.append((_get(s, "subject", w, str), _get(s, "detail", w, str)))
    tutorials = []
    for i, t in enumerate(_list(raw, "tutorials")):
        w = f"tutorials[{i}]"
        tutorials.append({k: _get(t, k, w, str) for k in ("id", "title", "covers")})
    secondary = _section(raw, "secondary_site", ("name", "submissions"), ("used_for",))
    end = _get(raw, "end_of_page", "", dict, None)
    if end is not None:
        end = _section(raw, "end_of_page", ("note",), ("materials", "homework"))

    return Course(
        title=_get(raw, "title", "", str), title_ko=_get(raw, "title_ko", "", str),
        code=_get(raw, "code", "", str), institution=_get(raw, "institution", "", str),
        term=_get(raw, "term", "", str), first_week=_date(raw, "first_week", "", None),
        secondary_site=secondary,
        announcements=tuple(_get(a, "text", f"announcements[{i}]", str)
                            for i, a in enumerate(_list(raw, "announcements", "", []))),
        lectures=_lectures(raw), staff=_staff(raw),
        exam_format=exam_format, exam_hours=exam_hours, exams=exams, sample_exams=samples,
        weights=weights, homework_rule=rule,
        prerequisites={"intro": _get(prereq, "intro", "prerequisites", str),
                       "subjects": tuple(subjects),
                       "note": _get(prereq, "note", "prerequisites", str, "")},
        python_tutorial=_section(raw, "python_tutorial", ("before", "after")),
        references=_references(raw),
        matrix_calculus=_section(raw, "matrix_calculus", ("text",), ("notes",)),
        tutorials=tuple(tutorials), chapters=chapters,
        schedule=_schedule(raw, chapter_ids), homework=homework, end_of_page=end or {},
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
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    return parse_course(raw, path)
