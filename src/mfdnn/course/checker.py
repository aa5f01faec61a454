"""Self-check: run a homework's checks against a student's files and score them.

A homework's checks live in ``mfdnn.course.checks.hwN`` as a list ``CHECKS`` built with the
:func:`check` decorator. Each check tests **one** unit the student implements (a function, a
class, a method), so a wrong answer in one unit costs exactly that check's points, and an
unmodified starter (whose units raise ``NotImplementedError``) scores zero. A check receives
the student's module for its file, computes its own oracle (a dense matrix, autograd, the
written-out formula, an invariant) and raises :class:`CheckFailed` (or any exception) with a
one-line explanation when the student's answer disagrees.

``run_checks`` is what ``mfdnn check`` calls in-process; the grader calls it inside its
sandbox (``mfdnn.course.sandbox``). Results stream to ``report(event)`` as they happen, so a
submission killed mid-way still has the results of the checks it finished.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from mfdnn.errors import ConfigError


class CheckFailed(AssertionError):
    """A check's verdict: the student's answer disagrees with the oracle (one line)."""


class CheckTimeout(Exception):
    """A check ran past its time limit."""


@dataclass(frozen=True)
class Check:
    file: str  # the course file name the check tests, e.g. "conv1D.py"
    name: str  # short id, unique within the homework
    points: float
    description: str
    fn: Callable[[ModuleType], str | None]
    timeout: float = 60.0

    @property
    def id(self) -> str:
        return f"{self.file}:{self.name}"


def check(file: str, points: float, description: str, *, timeout: float = 60.0,
          registry: list[Check]) -> Callable:
    """Register ``fn(module) -> optional note`` as a check worth ``points``."""

    def register(fn: Callable) -> Callable:
        registry.append(Check(file, fn.__name__, points, description, fn, timeout))
        return fn

    return register


@dataclass
class CheckResult:
    id: str
    file: str
    description: str
    max_score: float
    score: float
    status: str  # passed | failed | error | not-implemented | missing-file | timeout
    message: str
    seconds: float = 0.0


@dataclass
class Report:
    homework: str
    results: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"homework": self.homework, "score": self.score, "max_score": self.max_score,
                "results": [asdict(r) for r in self.results]}


def homework_checks(hw: str) -> list[Check]:
    """The checks of homework ``hw`` (``hw1`` ... ``hw12``)."""
    from mfdnn.course.metadata import normalise_homework_id

    key = normalise_homework_id(hw)
    if key not in {f"hw{n}" for n in range(1, 13)}:
        raise ConfigError(f"unknown homework '{hw}'; choose from hw1 ... hw12")
    try:
        module = importlib.import_module(f"mfdnn.course.checks.{key}")
    except ModuleNotFoundError as exc:
        if exc.name != f"mfdnn.course.checks.{key}":
            raise
        raise ConfigError(f"no checks for {key} yet; homework with checks: "
                          f"{', '.join(available_homework())}") from None
    return list(module.CHECKS)


def available_homework() -> list[str]:
    import pkgutil

    import mfdnn.course.checks as package

    names = [i.name for i in pkgutil.iter_modules(package.__path__) if i.name.startswith("hw")]
    return sorted(names, key=lambda n: int(n[2:]))


def one_line(exc: BaseException, files: dict[str, Path] | None = None) -> str:
    """``TypeError: ... (conv1D.py line 12)``: the exception and the student's line, if any."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, CheckFailed):
        text = f"{type(exc).__name__}: {text}" if str(exc) else type(exc).__name__
    where = ""
    student = {str(p.resolve()) for p in (files or {}).values()}
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if str(Path(frame.filename).resolve()) in student:
            where = f" ({Path(frame.filename).name} line {frame.lineno})"
            break
    return (text[:300] + "...") if len(text) > 300 else text + where


def load_student_module(path: Path, label: str) -> ModuleType:
    """Import ``path`` as a fresh module (its ``__main__`` block does not run)."""
    name = f"_mfdnn_student_{label}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path.name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CheckTimeout` in the main thread after ``seconds`` (Unix, main thread)."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise CheckTimeout(f"timed out after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def match_files(checks: list[Check], files: list[Path]) -> dict[str, Path]:
    """Map each course file name to the student's file: by exact name, case-insensitively."""
    wanted = {c.file for c in checks}
    by_lower = {w.lower(): w for w in wanted}
    found: dict[str, Path] = {}
    for path in files:
        key = by_lower.get(path.name.lower())
        if key is None:
            raise ConfigError(f"{path.name} is not a file of this homework; expected "
                              f"{', '.join(sorted(wanted))}")
        if not path.is_file():
            raise ConfigError(f"{path}: no such file")
        found[key] = path
    return found


def run_checks(hw: str, files: list[Path], *, label: str = "check",
               report: Callable[[dict[str, Any]], None] | None = None,
               time_scale: float = 1.0) -> Report:
    """Run every check of ``hw`` on ``files``; ``report`` sees each start and result."""

    checks = homework_checks(hw)
    paths = match_files(checks, [Path(f) for f in files])
    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch else None
    if torch:
        torch.set_num_threads(1)  # checks use tiny tensors; threads only add overhead
    try:
        return _run(hw, checks, paths, label, report, time_scale)
    finally:
        if torch and threads:
            torch.set_num_threads(threads)


def _run(hw: str, checks: list[Check], paths: dict[str, Path], label: str,
         report: Callable[[dict[str, Any]], None] | None, time_scale: float) -> Report:
    from mfdnn.course.metadata import normalise_homework_id

    out = Report(normalise_homework_id(hw))
    modules: dict[str, ModuleType | BaseException] = {}
    emit = report or (lambda event: None)
    for c in checks:
        emit({"event": "start", "id": c.id})
        tic = time.perf_counter()
        result = CheckResult(c.id, c.file, c.description, c.points, 0.0, "failed", "")
        try:
            with time_limit(c.timeout * time_scale):
                if c.file not in paths:
                    result.status, result.message = "missing-file", f"{c.file} not submitted"
                    raise _Skip
                if c.file not in modules:
                    try:
                        modules[c.file] = load_student_module(paths[c.file], label)
                    except BaseException as exc:  # noqa: BLE001 - the student's import
                        if isinstance(exc, KeyboardInterrupt):
                            raise
                        modules[c.file] = exc
                module = modules[c.file]
                if isinstance(module, BaseException):
                    result.status = "error"
                    result.message = f"importing {c.file} failed: {one_line(module, paths)}"
                    raise _Skip
                note = c.fn(module)
            result.score, result.status = c.points, "passed"
            result.message = note or "ok"
        except _Skip:
            pass
        except NotImplementedError as exc:
            result.status = "not-implemented"
            result.message = f"not implemented yet ({one_line(exc, paths)})"
        except CheckTimeout as exc:
            result.status, result.message = "timeout", str(exc)
        except CheckFailed as exc:
            result.message = one_line(exc, paths)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - anything the student's code raises
            result.status, result.message = "error", one_line(exc, paths)
        result.seconds = round(time.perf_counter() - tic, 3)
        out.results.append(result)
        emit({"event": "result", **asdict(result)})
    return out


class _Skip(Exception):
    pass


def format_report(report: Report) -> str:
    marks = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "timeout": "TIME",
             "not-implemented": "TODO", "missing-file": "MISS"}
    lines = [f"{report.homework}: self-check"]
    for r in report.results:
        lines.append(f"  [{marks.get(r.status, r.status.upper()):5}] {r.score:g}/{r.max_score:g}"
                     f"  {r.id}: {r.description}")
        if r.status != "passed":
            lines.append(f"          {r.message}")
    lines.append(f"score: {report.score:g}/{report.max_score:g}")
    return "\n".join(lines)
