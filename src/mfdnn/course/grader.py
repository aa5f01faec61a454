"""``mfdnn grade HW SUBMISSIONS_DIR --out DIR``: grade every submission safely.

``SUBMISSIONS_DIR`` holds one folder per submission (its name is the student's id) with the
homework's files. Each submission is graded in its own process
(:mod:`mfdnn.course.sandbox`) with

* a fresh temporary working directory holding a copy of its ``.py`` files only;
* a wall-clock limit (the whole process group is killed) and a CPU-time limit;
* a memory limit (address space), a file-size limit and an open-files limit;
* no network, no processes, no access outside its directory (audit hook; where ``unshare``
  works, also fresh network, mount and PID namespaces that hide the course folder, so the
  reference solutions, and the other submissions);
* a cap on what it prints.

It writes ``DIR/grades.csv`` (one row per submission: scores per check, total, status and a
one-line explanation) and ``DIR/<student>/results.json`` in Gradescope's format, plus the
first part of what the submission printed in ``DIR/<student>/output.txt``. A submission that
hangs, crashes, floods the output or breaks the rules gets its explanation and the points of
the checks it passed before; the others are unaffected.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mfdnn.course.checker import homework_checks
from mfdnn.course.metadata import Course, normalise_homework_id
from mfdnn.errors import ConfigError


@dataclass
class Limits:
    wall_seconds: float = 300.0
    cpu_seconds: int = 600
    memory_mb: int = 3072
    file_mb: int = 16
    output_kb: int = 64
    open_files: int = 256
    check_time_scale: float = 1.0  # multiplies each check's own time limit


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


def namespaces_available() -> bool:
    """Whether ``unshare`` can give us network, mount and PID namespaces (root, or allowed)."""
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    try:
        done = subprocess.run(["unshare", "--net", "--mount", "--pid", "--fork", "true"],
                              capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def isolated_import_works(module: str = "mfdnn.course.sandbox") -> bool:
    """Whether ``python -I`` (isolated: no ``PYTHONPATH``, no user site, no current folder),
    the interpreter every submission runs in, can import ``module``. It can where mfdnn is
    installed (``pip install``), not where only ``PYTHONPATH`` finds it."""
    try:
        done = subprocess.run([sys.executable, "-I", "-c", f"import {module}"],
                              capture_output=True, timeout=120, cwd=tempfile.gettempdir())
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _limit_resources(limits: Limits) -> None:
    """Runs in the child between fork and exec."""
    mb = 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * mb, limits.memory_mb * mb))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * mb, limits.file_mb * mb))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:  # not enforced for root; the audit hook and the PID namespace cover that case
        resource.setrlimit(resource.RLIMIT_NPROC, (64, 64))
    except (ValueError, OSError):
        pass


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _explain(events: list[dict[str, Any]], code: int | None, timed_out: bool,
             limits: Limits, stderr_tail: str) -> tuple[str, str]:
    """(status, one-line explanation) of how the submission's process ended."""
    started = [e["id"] for e in events if e.get("event") == "start"]
    finished = {e["id"] for e in events if e.get("event") == "result"}
    running = next((s for s in reversed(started) if s not in finished), None)
    during = f" during check {running}" if running else " while starting"
    done = next((e for e in events if e.get("event") == "done"), None)
    if timed_out:
        return "timeout", (f"stopped after the {limits.wall_seconds:g} s time limit{during} "
                           "(an endless loop?)")
    if done is None:
        if code is not None and code < 0:
            name = _signal_name(code)
            why = {"SIGXCPU": f"the {limits.cpu_seconds} s CPU limit",
                   "SIGKILL": "killed (memory?)", "SIGSEGV": "a crash (memory limit?)",
                   "SIGABRT": f"an abort (memory limit of {limits.memory_mb} MB?)",
                   "SIGXFSZ": f"the {limits.file_mb} MB file-size limit"}.get(name, name)
            return "crashed", f"the process ended by {why}{during}"
        tail = stderr_tail.strip().splitlines()[-1:] if stderr_tail.strip() else []
        return "crashed", (f"the process exited with status {code}{during}"
                           + (f": {tail[0][:200]}" if tail else ""))
    notes = []
    if done.get("notices"):
        notes.append(f"blocked: {done['notices'][0].removeprefix('sandbox: ')}"
                     + (f" (+{len(done['notices']) - 1} more)" if len(done["notices"]) > 1
                        else ""))
    if done.get("printed", 0) > limits.output_kb * 1024:
        notes.append(f"printed {done['printed'] / 1e6:.1f} MB; output truncated to "
                     f"{limits.output_kb} KB")
    failed = [e for e in events if e.get("event") == "result" and e["status"] != "passed"]
    if failed:
        notes.append(f"{failed[0]['id']}: {failed[0]['message']}"
                     + (f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""))
    return "graded", "; ".join(notes) or "all checks passed"


def grade_submission(hw: str, student: str, files: list[Path], limits: Limits,
                     deny: list[Path], scratch: Path, use_namespaces: bool) -> Grade:
    checks = homework_checks(hw)
    wanted = {c.file.lower(): c.file for c in checks}
    workdir = Path(tempfile.mkdtemp(prefix="sub-", dir=scratch))
    os.chmod(workdir, 0o700)
    copied = []
    for path in files:
        name = wanted.get(path.name.lower())
        if name and path.is_file() and not path.is_symlink():
            shutil.copyfile(path, workdir / name)
            copied.append(name)
    tic = time.perf_counter()
    if not copied:
        return _grade_from_events(student, checks, [], "no-files",
                                  f"none of {', '.join(sorted(set(wanted.values())))} found",
                                  0.0, "")
    private = Path(tempfile.mkdtemp(prefix="grader-", dir=scratch))
    results, spec_path = private / "results.jsonl", private / "spec.json"
    spec = {"homework": hw, "workdir": str(workdir), "files": copied,
            "results": str(results), "deny": [str(p) for p in deny],
            "output_limit": limits.output_kb * 1024, "namespaces": use_namespaces,
            "time_scale": limits.check_time_scale}
    spec_path.write_text(json.dumps(spec))
    command = [sys.executable, "-I", "-m", "mfdnn.course.sandbox", str(spec_path)]
    if use_namespaces:
        command = ["unshare", "--net", "--mount", "--pid", "--fork", "--kill-child",
                   "--mount-proc", *command]
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(scratch / "matplotlib"),
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MFDNN_OFFLINE": "1", "TMPDIR": str(workdir)}
    with open(private / "stdout", "wb") as out, open(private / "stderr", "wb") as err:
        proc = subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err, start_new_session=True,
                                preexec_fn=lambda: _limit_resources(limits))
        timed_out = False
        try:
            proc.wait(timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole group, whatever it started
            except ProcessLookupError:
                pass
            proc.wait()
    seconds = time.perf_counter() - tic
    events = []
    if results.exists():
        for line in results.read_text(errors="replace").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    stderr_tail = (private / "stderr").read_bytes()[-2000:].decode(errors="replace")
    status, explanation = _explain(events, proc.returncode, timed_out, limits, stderr_tail)
    done = next((e for e in events if e.get("event") == "done"), {})
    output = done.get("stdout", "") + done.get("stderr", "")
    output += (private / "stdout").read_bytes()[: limits.output_kb * 1024].decode(
        errors="replace")
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(private, ignore_errors=True)
    return _grade_from_events(student, checks, events, status, explanation, seconds, output)


def _grade_from_events(student: str, checks: list, events: list[dict[str, Any]], status: str,
                       explanation: str, seconds: float, output: str) -> Grade:
    by_id = {e["id"]: e for e in events if e.get("event") == "result"}
    tests = []
    for c in checks:
        e = by_id.get(c.id)
        if e is None:
            message = "not run: " + explanation
            score = 0.0
        else:
            message, score = f"{e['status']}: {e['message']}", float(e["score"])
        tests.append({"name": f"{c.id}: {c.description}", "score": score,
                      "max_score": float(c.points), "output": message, "check": c.id})
    total = sum(t["score"] for t in tests)
    return Grade(student, total, sum(c.points for c in checks), status, explanation, tests,
                 round(seconds, 2), output)


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


def grade_all(course: Course, hw: str, submissions: Path, out: Path,
              limits: Limits | None = None, use_namespaces: bool | None = None,
              log: Any = None) -> list[Grade]:
    hw = normalise_homework_id(hw)
    course.get_homework(hw)
    limits = limits or Limits()
    checks = homework_checks(hw)
    if not submissions.is_dir():
        raise ConfigError(f"{submissions}: not a folder of submissions")
    folders = sorted(p for p in submissions.iterdir() if p.is_dir() and not p.is_symlink())
    if not folders:
        raise ConfigError(f"{submissions}: no submission folders (one folder per student)")
    if not isolated_import_works():
        raise ConfigError("the grader's sandbox (python -I, which ignores PYTHONPATH) cannot "
                          "import mfdnn: install the package first (pip install -e .)")
    if use_namespaces is None:
        use_namespaces = namespaces_available()
    out.mkdir(parents=True, exist_ok=True)
    deny = [course.root.resolve(), submissions.resolve(), out.resolve()]
    grades = []
    with tempfile.TemporaryDirectory(prefix="mfdnn-grade-") as tmp:
        scratch = Path(tmp)
        (scratch / "matplotlib").mkdir()
        for folder in folders:
            files = sorted(p for p in folder.rglob("*.py") if p.is_file())
            grade = grade_submission(hw, folder.name, files, limits, deny, scratch,
                                     use_namespaces)
            grades.append(grade)
            target = out / folder.name
            target.mkdir(exist_ok=True)
            (target / "results.json").write_text(json.dumps(gradescope_json(grade), indent=2))
            (target / "output.txt").write_text(grade.output)
            if log:
                log(f"{folder.name}: {grade.score:g}/{grade.max_score:g} ({grade.status}) "
                    f"{grade.explanation}")
    with open(out / "grades.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "score", "max_score", *[c.id for c in checks], "status",
                         "seconds", "explanation"])
        for g in grades:
            writer.writerow([g.student, f"{g.score:g}", f"{g.max_score:g}",
                             *[f"{t['score']:g}" for t in g.tests], g.status, g.seconds,
                             g.explanation])
    return grades
