"""Checks as probe + verdict, and the self-check (``mfdnn check``) that runs them in-process.

A homework's checks live in two halves with the same names:

* ``mfdnn.course.probes.hwN`` (jail side): ``probe(module, request) -> data`` calls the
  student's functions on the judge's inputs and returns what they gave, as plain data;
* ``mfdnn.course.checks.hwN`` (judge side): a list ``CHECKS`` built with :func:`check`. Each
  check's ``build(rng)`` draws the inputs of one run (from a per-run seed, so answers cannot
  be hard-coded) and returns a :class:`Case`: the request for the probe and the ``verdict``
  that judges the probe's answer against the judge's own oracle (a dense matrix, autograd,
  the written-out formula, the course's architecture filled with the judge's weights). The
  points come from the check, never from the answer.

Each check tests **one** unit the student implements, so a wrong answer in one unit costs
exactly that check's points, and an unmodified starter scores zero.

:func:`run_checks` is the self-check: it runs the same probes and verdicts in the student's
own process, passing every request and answer through the same wire encoding as the grader
(:mod:`mfdnn.course.grader`), so both give the same feedback for the same file and seed. It is
feedback for the student, not a boundary: the grader runs probes only inside its jail.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mfdnn.course.safe_text import clean_line
from mfdnn.errors import ConfigError

MAX_ANSWER_BYTES = 16 << 20  # one probe's answer on the wire


class CheckFailed(AssertionError):
    """A verdict: the student's answer disagrees with the oracle (one line)."""


class Malformed(ValueError):
    """An answer that the honest probe could not have sent (one line): the submission crashed
    or tampered with the jail's side."""


class CheckTimeout(Exception):
    """A check ran past its time limit."""


@dataclass(frozen=True)
class Case:
    """One run of a check: the probe's request and the judge's verdict on its answer."""

    request: dict[str, Any]
    verdict: Callable[[Any], str | None]


@dataclass(frozen=True)
class Check:
    file: str  # the course file name the check tests, e.g. "conv1D.py"
    name: str  # short id, unique within the homework; also the probe's name
    points: float
    description: str
    build: Callable[[np.random.RandomState], Case]
    timeout: float = 60.0

    @property
    def id(self) -> str:
        return f"{self.file}:{self.name}"


def check(file: str, points: float, description: str, *, timeout: float = 60.0,
          registry: list[Check]) -> Callable:
    """Register ``build(rng) -> Case`` as a check worth ``points``."""

    def register(build: Callable) -> Callable:
        registry.append(Check(file, build.__name__, points, description, build, timeout))
        return build

    return register


@dataclass
class CheckResult:
    id: str
    file: str
    description: str
    max_score: float
    score: float
    status: str  # passed | failed | error | not-implemented | missing-file | timeout | crashed
    message: str
    seconds: float = 0.0


@dataclass
class Report:
    homework: str
    seed: int = 0
    results: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"homework": self.homework, "seed": self.seed, "score": self.score,
                "max_score": self.max_score, "results": [asdict(r) for r in self.results]}


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


def case_rng(seed: int, check_id: str) -> np.random.RandomState:
    """The random stream of one check in one run (the same in the grader and the self-check)."""
    digest = hashlib.sha256(f"{seed}:{check_id}".encode()).digest()
    return np.random.RandomState(int.from_bytes(digest[:4], "little"))


def build_cases(checks: list[Check], seed: int) -> dict[str, Case]:
    """Every check's case for the run with ``seed`` (oracles computed once, for all)."""
    return {c.id: c.build(case_rng(seed, c.id)) for c in checks}


def new_result(c: Check) -> CheckResult:
    return CheckResult(c.id, c.file, c.description, c.points, 0.0, "failed", "")


def settle(c: Check, case: Case, reply: Any, result: CheckResult) -> None:
    """Judge one decoded probe reply into ``result`` (points from ``c`` only).

    Raises :class:`Malformed` for a reply the honest probe could not have sent."""
    if not isinstance(reply, dict) or len(reply) != 1 or not ({"ok", "error"} & set(reply)):
        raise Malformed("the reply is neither {ok: ...} nor {error: ...}")
    if "error" in reply:
        error = reply["error"]
        if (not isinstance(error, dict) or set(error) != {"kind", "message"}
                or not isinstance(error["message"], str)
                or error["kind"] not in ("not-implemented", "failed", "error")):
            raise Malformed("an error reply must be {kind, message}")
        message = clean_line(error["message"], 400)
        if error["kind"] == "not-implemented":
            result.status, result.message = "not-implemented", f"not implemented yet ({message})"
        else:
            result.status, result.message = error["kind"], message
        return
    try:
        note = case.verdict(reply["ok"])
    except CheckFailed as exc:
        result.status, result.message = "failed", clean_line(str(exc), 600)
        return
    except Malformed:
        raise
    except Exception as exc:  # noqa: BLE001 - data the verdict could not read is malformed
        raise Malformed(f"the answer could not be judged ({type(exc).__name__}: "
                        f"{clean_line(str(exc), 120)})") from None
    result.score, result.status = float(c.points), "passed"
    result.message = clean_line(note or "ok", 600)


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
        if b"\0" in path.read_bytes():
            raise ConfigError(f"{path}: not a Python source file (it holds binary data)")
        found[key] = path
    return found


def run_checks(hw: str, files: list[Path], *, label: str = "check", seed: int = 0,
               report: Callable[[dict[str, Any]], None] | None = None,
               time_scale: float = 1.0) -> Report:
    """The self-check: every check of ``hw`` on ``files``, in this process."""
    import sys

    from mfdnn.course.metadata import normalise_homework_id
    from mfdnn.course.probes import runner, wire

    checks = homework_checks(hw)
    paths = match_files(checks, [Path(f) for f in files])
    key = normalise_homework_id(hw)
    probes = importlib.import_module(f"mfdnn.course.probes.{key}")
    cases = build_cases([c for c in checks if c.file in paths], seed)  # only what runs
    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch else None
    if torch:
        torch.set_num_threads(1)  # checks use tiny tensors; threads only add overhead
    out = Report(key, seed)
    emit = report or (lambda event: None)
    modules: dict[str, Any] = {}
    try:
        for c in checks:
            emit({"event": "start", "id": c.id})
            result = new_result(c)
            tic = time.perf_counter()
            if c.file not in paths:
                result.status, result.message = "missing-file", f"{c.file} not submitted"
            else:
                request = wire.decode(wire.encode(cases[c.id].request), 1 << 30)
                try:
                    with time_limit(c.timeout * time_scale):
                        reply = runner.call_probe(probes, c.name, c.file, request, paths,
                                                  modules, label, (CheckTimeout,))
                    raw = runner.reply_bytes(reply)
                    settle(c, cases[c.id], wire.decode(raw, MAX_ANSWER_BYTES), result)
                except CheckTimeout as exc:
                    result.status, result.message = "timeout", str(exc)
                except (Malformed, wire.WireError) as exc:
                    result.status, result.message = "crashed", f"malformed answer: {exc}"
            result.seconds = round(time.perf_counter() - tic, 3)
            out.results.append(result)
            emit({"event": "result", **asdict(result)})
    finally:
        if torch and threads:
            torch.set_num_threads(threads)
    return out


MARKS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "timeout": "TIME",
         "not-implemented": "TODO", "missing-file": "MISS", "crashed": "CRASH"}


def format_report(report: Report) -> str:
    lines = [f"{report.homework}: self-check (seed {report.seed})"]
    for r in report.results:
        lines.append(f"  [{MARKS.get(r.status, r.status.upper()):5}] {r.score:g}/{r.max_score:g}"
                     f"  {r.id}: {r.description}")
        if r.status != "passed":
            lines.append(f"          {r.message}")
    lines.append(f"score: {report.score:g}/{report.max_score:g}")
    return "\n".join(lines)
