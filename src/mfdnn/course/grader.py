"""``mfdnn grade HW SUBMISSIONS_DIR --out DIR``: grade a folder of submissions safely.

``SUBMISSIONS_DIR`` holds one folder per submission (its name is the student's id) with the
homework's files. The grader

1. checks the ids, the output folder (no links, FIFOs or other non-regular files where it
   writes) and that the jail can be made (:mod:`mfdnn.course.sandbox`; without ``bwrap`` or
   user namespaces it stops with one line unless ``--no-jail`` is given);
2. copies every submission's homework files into memory before any runs (regular files only,
   opened without following links, 1 MiB each at most), so none can change another;
3. draws the checks' inputs once from the run's seed (random unless ``--seed``) and computes
   the oracles once, for all submissions;
4. grades ``--jobs`` submissions at a time, each in its own jail (:mod:`.session`): the judge
   (this process) sends requests, validates the answers and awards the points;
5. writes ``DIR/<student>/results.json`` (Gradescope's format), ``DIR/<student>/output.txt``
   (the first part of what the submission printed), ``DIR/grades.csv`` (one row per
   submission: scores per check, total, status, seconds and a one-line explanation) and
   ``DIR/grading.json`` (seed, jail, limits), each atomically (temporary file + rename, no
   link followed). No jail ever sees ``DIR``. Every student-controlled string is stripped of
   control characters, and CSV cells that a spreadsheet would run as formulas are quoted.
"""

from __future__ import annotations

import csv
import io
import json
import os
import queue
import secrets
import stat
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mfdnn.course.checker import Check, CheckResult, build_cases, homework_checks, new_result
from mfdnn.course.metadata import Course, normalise_homework_id
from mfdnn.course.probes import wire
from mfdnn.course.safe_text import clean_line, clean_text, csv_cell, student_id_problem
from mfdnn.course.sandbox import Jail, Limits
from mfdnn.course.session import Incident, Outcome, Session
from mfdnn.errors import ConfigError

__all__ = ["Grade", "Limits", "grade_all", "gradescope_json"]

MAX_FILE_BYTES = 1 << 20
MAX_DEPTH = 8  # folders below a submission's folder that are searched
MAX_ENTRIES = 10_000  # names looked at in one submission
NO_JAIL = "[no jail] "


@dataclass
class Grade:
    student: str
    score: float
    max_score: float
    status: str  # graded | timeout | crashed | no-files
    explanation: str
    tests: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    output: str = ""
    cpu_seconds: float | None = None  # of its jails, where a cgroup counted it


def gradescope_json(grade: Grade) -> dict[str, Any]:
    """Gradescope's autograder ``results.json``."""
    return {
        "score": grade.score,
        "execution_time": grade.seconds,
        "output": grade.explanation,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [{"name": t["name"], "score": t["score"], "max_score": t["max_score"],
                   "output": t["output"], "visibility": "visible"} for t in grade.tests],
    }


# -- input ------------------------------------------------------------------------------------


def _read_regular(path: Path) -> bytes | str:
    """The bytes of ``path`` if it is a regular file of at most MAX_FILE_BYTES (no link
    followed, no FIFO opened), else why not."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # a link, FIFO or device: never opened
            return "not a regular file (a link?)" if os.path.islink(path) else \
                "not a regular file"
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return "not a regular file (a link?)"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "not a regular file"
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        return f"larger than {MAX_FILE_BYTES >> 20} MiB"
    finally:
        os.close(fd)


def snapshot(folder: Path, wanted: set[str]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The homework files in ``folder`` (found at any depth, shallowest first) as bytes, and
    for those found but not taken, why."""
    by_lower = {w.lower(): w for w in wanted}
    found: dict[str, bytes] = {}
    problems: dict[str, str] = {}
    entries, base = [], str(folder).count(os.sep)
    for root, dirs, names in os.walk(folder, followlinks=False):
        depth = root.count(os.sep) - base
        # at most MAX_DEPTH folders deep and MAX_ENTRIES names: a submission is a few files
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if depth < MAX_DEPTH else []
        entries.append((depth, root, names))
        if sum(len(n) + 1 for _, _, n in entries) > MAX_ENTRIES:
            problems["*"] = f"more than {MAX_ENTRIES} files; the rest not looked at"
            break
    for _, root, names in sorted(entries, key=lambda e: (e[0], e[1])):
        for name in sorted(names):
            key = by_lower.get(name.lower())
            if key and key not in found:
                data = _read_regular(Path(root, name))
                if isinstance(data, bytes):
                    found[key] = data
                    problems.pop(key, None)
                else:
                    problems.setdefault(key, f"{key} is {data}; not graded")
    return found, problems


# -- output -----------------------------------------------------------------------------------


def _open_folder(path: Path, parent: int | None = None) -> int:
    """A descriptor of the folder ``path`` (created if missing), refusing links."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        if parent is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(path, 0o755, dir_fd=parent)
    except FileExistsError:
        pass
    try:
        return os.open(path, flags, dir_fd=parent)
    except OSError:
        raise ConfigError(f"{path}: not a folder (a link or a file?); the grader writes its "
                          "results there") from None


def write_atomic(folder: int, name: str, data: bytes) -> None:
    """``folder/name`` = ``data``: a new file renamed over the old one, no link followed."""
    try:
        st = os.lstat(name, dir_fd=folder)
        if not stat.S_ISREG(st.st_mode):
            raise ConfigError(f"{name}: exists and is not a regular file (a link or a FIFO?); "
                              "remove it")
    except FileNotFoundError:
        pass
    tmp = f".{name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o644, dir_fd=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)


def _preflight(out: Path, students: list[str]) -> None:
    """Refuse before grading where a result could not be written safely."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise ConfigError(f"{out}: not a folder")
    targets = [out / "grades.csv", out / "grading.json"]
    for s in students:
        folder = out / s
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise ConfigError(f"{folder}: not a folder (a link or a file?); remove it")
        targets += [folder / "results.json", folder / "output.txt"]
    for path in targets:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            raise ConfigError(f"{path}: exists and is not a regular file (a link or a FIFO?); "
                              "remove it")


# -- one submission ---------------------------------------------------------------------------


def _explain(checks: list[Check], outcome: Outcome, limits: Limits) -> tuple[str, str]:
    """(status, one-line explanation)."""
    notes, status = [], "graded"
    timeouts = [i for i in outcome.incidents if i[0] == "timeout"]
    crashes = [i for i in outcome.incidents if i[0] == "crashed"]
    if timeouts:
        status = "timeout"
        _, check, text = timeouts[0]
        notes.append(f"stopped after the time limit during check {check} ({text}; an "
                     "endless loop?)")
    elif crashes:
        status = "crashed"
        _, check, text = crashes[0]
        notes.append(f"{text} during check {check}")
    if outcome.printed > limits.output_kb * 1024:
        notes.append(f"printed {outcome.printed / 1e6:.1f} MB; output truncated to "
                     f"{limits.output_kb} KB")
    failed = [r for r in outcome.results if r.status not in ("passed", "timeout", "crashed")]
    if failed:
        notes.append(f"{failed[0].id}: {failed[0].message}"
                     + (f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""))
    return status, "; ".join(notes) or "all checks passed"


def grade_one(student: str, files: dict[str, bytes], problems: dict[str, str],
              session: Session, checks: list[Check], limits: Limits, prefix: str) -> Grade:
    if not files:
        names = ", ".join(sorted({c.file for c in checks}))
        why = "; ".join(problems.values()) or f"none of {names} found"
        outcome = Outcome([])
        for c in checks:
            outcome.results.append(_not_run(c, why))
        status, explanation = "no-files", why
    else:
        outcome = session.run(files)
        for r in outcome.results:
            if r.status == "missing-file" and r.file in problems:
                r.message = problems[r.file]
        status, explanation = _explain(checks, outcome, limits)
        if "*" in problems:
            explanation += f"; {problems['*']}"
    tests = []
    for c, r in zip(checks, outcome.results, strict=True):
        score = max(0.0, min(float(r.score), float(c.points)))  # never above the check's max
        tests.append({"name": f"{c.id}: {c.description}", "score": score,
                      "max_score": float(c.points), "output": f"{r.status}: {r.message}",
                      "check": c.id})
    return Grade(student, sum(t["score"] for t in tests), float(sum(c.points for c in checks)),
                 status, prefix + clean_line(explanation, 500), tests, outcome.seconds,
                 clean_text(outcome.output), outcome.cpu_seconds)


def _not_run(c: Check, why: str) -> CheckResult:
    result = new_result(c)
    result.status, result.message = "not-run", why
    return result


# -- the run ----------------------------------------------------------------------------------


def make_jail(limits: Limits, jailed: bool, exposed: list[Path]) -> Jail:
    """A jail that works here (tested by one start), or :class:`ConfigError` saying why."""
    jail = Jail(limits, jailed)
    if jailed:
        if not jail.bwrap:
            raise ConfigError("no jail: bubblewrap (bwrap) is not installed; install it "
                              "(Debian: apt-get install bubblewrap) or pass --no-jail to grade "
                              "unconfined (unsafe)")
        for path in exposed:
            if jail.runtime.exposes(path):
                raise ConfigError(f"{path}: would be visible inside the jail (it overlaps "
                                  "the Python installation or site-packages); move it")
    jail.slots(1)
    modes = ["private", "direct"] if (jailed and jail.as_root) else [jail.bind_mode]
    problems = []
    for mode in modes:
        jail.bind_mode = mode
        try:
            jail.fontlist = _warm_up(jail, limits)
            return jail
        except Incident as exc:
            problems.append(str(exc))
    jail.release()
    raise ConfigError(f"no jail: {problems[0]}; check that bubblewrap works here (user "
                      "namespaces) or pass --no-jail to grade unconfined (unsafe)")


def _warm_up(jail: Jail, limits: Limits) -> tuple[str, bytes] | None:
    """Start one jail without student code; keep matplotlib's font cache for the others."""
    from mfdnn.course.session import Channel, Output

    channel = Channel(jail.start("hw1", {}, 0, warmup=True), Output(4096))
    try:
        deadline = time.monotonic() + max(limits.startup_seconds, 30)
        try:
            hello = wire.decode(channel.frame(channel.started.hello, deadline, 8 << 20), 8 << 20)
        except Incident as exc:
            tail = channel.output.text().strip().splitlines()[-1:]
            why = "timed out" if exc.kind == "timeout" else channel._ended(limits)
            raise Incident(exc.kind, clean_line(f"the jail did not start ({why}"
                                                + (f": {tail[0]}" if tail else "") + ")",
                                                300)) from None
        except Exception as exc:  # noqa: BLE001 - a malformed hello: the jail is broken
            raise Incident("crashed", f"the jail's hello is not valid ({exc})") from None
        if jail.jailed and jail.as_root and hello.get("uid") in (0, None):
            raise Incident("crashed", "the jail runs as root")
        fonts = hello.get("fontlist") or {}
        for name, text in fonts.items():
            if isinstance(text, str) and name.startswith("fontlist-") and len(text) < 4 << 20:
                return name, text.encode()
        return None
    finally:
        channel.close()


def grade_all(course: Course, hw: str, submissions: Path, out: Path,
              limits: Limits | None = None, *, jobs: int | None = None, seed: int | None = None,
              jailed: bool = True, log: Any = None) -> list[Grade]:
    hw = normalise_homework_id(hw)
    course.get_homework(hw)
    limits = limits or Limits()
    checks = homework_checks(hw)
    if not submissions.is_dir():
        raise ConfigError(f"{submissions}: not a folder of submissions")
    folders = sorted(p for p in submissions.iterdir() if p.is_dir() and not p.is_symlink()
                     and not p.name.startswith("."))  # hidden folders (.git) are no students
    if not folders:
        raise ConfigError(f"{submissions}: no submission folders (one folder per student)")
    for folder in folders:
        problem = student_id_problem(folder.name)
        if folder.name in ("grades.csv", "grading.json"):
            problem = "the name of one of the grader's own files"
        if problem:
            raise ConfigError(f"{submissions}: folder {ascii(folder.name)} is not a valid "
                              f"student id ({problem}); rename it")
    out = Path(os.path.abspath(out))
    for inside in (submissions, course.root):
        if out == inside.resolve() or inside.resolve() in out.parents:
            raise ConfigError(f"{out}: the output folder must not be inside {inside}")
    if out in submissions.resolve().parents:
        raise ConfigError(f"{submissions}: the submissions must not be inside the output "
                          f"folder {out}")
    students = [f.name for f in folders]
    _preflight(out, students)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(folders), 256))
    jail = make_jail(limits, jailed, [course.root, submissions, out])
    try:
        jail.slots(jobs)
    except BaseException:
        jail.release()
        raise
    if not jailed:
        print("mfdnn: warning: --no-jail: submissions run unconfined, with the grader's "
              "rights; use only for code you trust", file=sys.stderr)
    wanted = {c.file for c in checks}
    snapshots = {f.name: snapshot(f, wanted) for f in folders}  # before any submission runs
    seed = secrets.randbelow(2**31) if seed is None else seed
    cases = build_cases(checks, seed)
    encoded = {cid: wire.encode(case.request) for cid, case in cases.items()}
    prefix = "" if jailed else NO_JAIL
    out_fd = _open_folder(out)
    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch else None
    if torch:
        torch.set_num_threads(1)  # the jails have the cores; the verdicts are small
    slots: queue.Queue[int] = queue.Queue()
    for k in range(jobs):
        slots.put(k)

    def task(student: str) -> Grade:
        slot = slots.get()
        try:
            session = Session(hw, checks, cases, jail, limits, slot, encoded)
            try:
                grade = grade_one(student, *snapshots[student], session, checks, limits,
                                  prefix)
            except Exception as exc:  # noqa: BLE001 - the judge's own failure: this one only
                grade = Grade(student, 0.0, float(sum(c.points for c in checks)), "crashed",
                              prefix + clean_line(f"the grader failed on this submission: "
                                                  f"{type(exc).__name__}: {exc}", 300),
                              [{"name": f"{c.id}: {c.description}", "score": 0.0,
                                "max_score": float(c.points), "output": "not run",
                                "check": c.id} for c in checks])
        finally:
            slots.put(slot)
        folder = _open_folder(Path(student), out_fd)
        try:
            write_atomic(folder, "results.json",
                         json.dumps(gradescope_json(grade), indent=2).encode())
            write_atomic(folder, "output.txt", grade.output.encode())
        finally:
            os.close(folder)
        if log:
            log(clean_line(f"{student}: {grade.score:g}/{grade.max_score:g} ({grade.status}) "
                           f"{grade.explanation}", 400))
        return grade

    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            grades = list(pool.map(task, students))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["student", "score", "max_score", *[c.id for c in checks], "status",
                         "seconds", "explanation"])
        for g in grades:
            writer.writerow([csv_cell(clean_line(g.student, 128)), f"{g.score:g}",
                             f"{g.max_score:g}", *[f"{t['score']:g}" for t in g.tests],
                             g.status, g.seconds, csv_cell(g.explanation)])
        write_atomic(out_fd, "grades.csv", buffer.getvalue().encode())
        write_atomic(out_fd, "grading.json", json.dumps(
            {"homework": hw, "seed": seed, "jail": jail.describe(), "jobs": jobs,
             "limits": asdict(limits), "submissions": len(grades),
             "jail_cpu_seconds": round(sum(g.cpu_seconds or 0.0 for g in grades), 2)},
            indent=2).encode())
    finally:
        os.close(out_fd)
        jail.release()
        if torch and threads:
            torch.set_num_threads(threads)
    return grades
