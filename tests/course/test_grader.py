"""The grader against hostile submissions: one run grades the whole catalogue of
``hostile.py`` (forging the answer channel, patching the jail's side, reading what is hidden by
every route, starting processes, sockets, exhausting resources through children, crashing or
hanging the judge, tampering with others, output injection) together with honest submissions,
which keep 100, and the starter, which keeps 0. Each hostile submission gets an exact score
and status; nothing leaks, nothing outside changes, no process survives the run."""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import unicodedata
from pathlib import Path

import pytest
from hostile import Context, _jail_problem, catalogue

from mfdnn.course.grader import Limits, grade_all
from mfdnn.course.metadata import load_course
from mfdnn.course.release import strip_solutions
from mfdnn.course.sandbox import UID_BASE, processes_of

pytestmark = pytest.mark.hw1

COURSE = load_course()
FILES = ("conv1D.py", "wideMinima.py")
REF = {f: (COURSE.root / "solutions" / "hw1" / f).read_text() for f in FILES}
STARTER = {f: strip_solutions(REF[f], f) for f in FILES}
_dummy = Path("/nonexistent")
NAMES = list(catalogue(Context(COURSE.root, _dummy, _dummy, _dummy, _dummy, _dummy,
                               _dummy / "v"), REF, STARTER))


def _listen(family: int, address) -> socket.socket:
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind(address)
    s.listen(8)
    s.setblocking(False)
    return s


def _build(ctx: Context, cases: dict) -> None:
    for name, h in cases.items():
        folder = ctx.submissions / name
        target = {"nested": folder / "deep" / "er",
                  "deep": folder.joinpath(*["d"] * 12)}.get(h.layout, folder)
        target.mkdir(parents=True)
        if h.layout == "many":
            for i in range(10_500):
                (folder / f"junk{i}.txt").touch()
        for file, text in h.files.items():
            (target / file).write_text(text)
        if h.layout == "symlink":
            (folder / "conv1D.py").symlink_to(ctx.solution)
        elif h.layout == "fifo":
            os.mkfifo(folder / "conv1D.py")
    # a whole submission folder that is a link to the solutions, and a hidden folder: not
    # graded at all
    (ctx.submissions / "linked_folder").symlink_to(ctx.root / "solutions" / "hw1")
    (ctx.submissions / ".git").mkdir()
    (ctx.submissions / ".git" / "conv1D.py").write_text("raise SystemExit\n")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    problem = _jail_problem()
    if problem:
        (pytest.fail if os.environ.get("MFDNN_REQUIRE_JAIL") else pytest.skip)(problem)
    tmp = tmp_path_factory.mktemp("hostile")
    token = secrets.token_hex(8)
    tcp = _listen(socket.AF_INET, ("127.0.0.1", 0))
    unix_path = str(tmp / "listening.sock")
    unix = _listen(socket.AF_UNIX, unix_path)
    abstract_name = f"mfdnn-hostile-{token}"
    abstract = _listen(socket.AF_UNIX, "\0" + abstract_name)
    subs = tmp / "submissions"
    ctx = Context(COURSE.root, COURSE.root.parent, tmp, subs, tmp / "out", tmp / "secret.txt",
                  subs / "victim" / "conv1D.py", token=token,
                  tcp_port=tcp.getsockname()[1], unix_path=unix_path,
                  abstract_name=abstract_name)
    ctx.secret.write_text(f"SECRET-{token}")
    cases = catalogue(ctx, REF, STARTER)
    _build(ctx, cases)
    before = {p: p.read_bytes() for p in subs.rglob("*") if p.is_file() and not p.is_symlink()}
    log: list[str] = []
    limits = Limits(wall_seconds=120, cpu_seconds=60, memory_mb=1024, output_kb=16,
                    check_time_scale=0.2)  # 12 s: a loaded CI machine walks / slowly
    grades = {g.student: g for g in grade_all(COURSE, "hw1", subs, ctx.out, limits, jobs=2,
                                               seed=20221, log=log.append)}
    accepted = []
    for s in (tcp, unix, abstract):
        try:
            accepted.append(s.accept())
        except BlockingIOError:
            pass
        s.close()
    return {"ctx": ctx, "cases": cases, "grades": grades, "log": log, "before": before,
            "accepted": accepted}


@pytest.mark.parametrize("name", NAMES)
def test_each_submission_gets_its_exact_score_and_status(run, name):
    h, g = run["cases"][name], run["grades"][name]
    assert (g.score, g.status) == (h.score, h.status), g.explanation
    said = " ".join([g.explanation] + [t["output"] for t in g.tests])
    for phrase in h.phrases:
        assert phrase in said, said
    assert "LEAK" not in g.explanation
    assert "\n" not in g.explanation and len(g.explanation) <= 600
    assert sum(t["score"] for t in g.tests) == g.score <= g.max_score == 100


def test_honest_submissions_keep_full_marks_and_the_starter_zero(run):
    grades = run["grades"]
    for name in ("good_one", "good_two"):
        assert grades[name].score == 100, grades[name].explanation
    for name in ("good_conv_only", "victim", "nested_folders"):
        assert grades[name].score == 50, grades[name].explanation
    assert grades["starter"].score == 0
    assert "linked_folder" not in grades and ".git" not in grades  # no submission folders


def test_nothing_leaks_and_nothing_outside_changes(run):
    ctx, before = run["ctx"], run["before"]
    for path, data in before.items():
        assert path.read_bytes() == data, f"{path} changed"
    assert not run["accepted"], "a submission reached a socket of the host"
    secrets_ = [f"SECRET-{ctx.token}", f"VICTIM-{ctx.token}", "BEGIN SOLUTION",
                "def reference_gd", "LEAK"]
    for folder in ctx.out.iterdir():
        if folder.is_dir():
            for file in folder.iterdir():
                text = file.read_text()
                assert not any(s in text for s in secrets_), (file, text[:300])
    assert not list(ctx.tmp.rglob("pwned*"))
    assert (ctx.out / "grades.csv").read_text().count("pwned") == 0


def test_the_jail_runs_as_an_unprivileged_uid_with_a_minimal_environment(run):
    text = (run["ctx"].out / "uid_and_writes" / "output.txt").read_text()
    line = next(ln for ln in text.splitlines() if ln.startswith("UID="))
    fields = dict(part.split("=", 1) for part in line.split())
    uid = int(fields["UID"])
    assert uid != 0 and int(fields["EUID"]) == uid and fields["GROUPS"] == "[]"
    if os.geteuid() == 0:
        assert uid >= UID_BASE
    env = next(ln for ln in text.splitlines() if ln.startswith("ENV=")).removeprefix("ENV=")
    assert set(env.split(",")) <= {"PATH", "HOME", "TMPDIR", "LANG", "MPLBACKEND",
                                   "MPLCONFIGDIR", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                   "OPENBLAS_NUM_THREADS", "PYTHONHASHSEED", "MFDNN_OFFLINE",
                                   "PWD"}


def test_no_process_of_a_jail_outlives_the_run(run):
    if os.geteuid() != 0:
        pytest.skip("jails share the grader's uid when it is not root")
    assert not [p for uid in range(UID_BASE, UID_BASE + 16) for p in processes_of(uid)]


def _printable(text: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t"
                   for ch in text)


def test_outputs_hold_no_control_characters_and_no_live_formulas(run):
    out = run["ctx"].out
    raw = (out / "grades.csv").read_text()
    assert _printable(raw.replace("\r\n", "\n"))
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv", newline=""))}
    for name in ('=HYPERLINK("evil.example";"x")', "+SUM(1,1)", "@cmd", "-2+3"):
        assert rows["'" + name]["score"] == "50"
    assert all(not r["explanation"].startswith(("=", "+", "-", "@")) for r in rows.values())
    for folder in out.iterdir():
        if folder.is_dir():
            assert _printable(json.dumps(json.loads((folder / "results.json").read_text()),
                                         ensure_ascii=False))
            assert _printable((folder / "output.txt").read_text())
    assert all(_printable(line) for line in run["log"])
    escapes = (out / "escape_codes" / "output.txt").read_text()
    assert "RED" in escapes and "\x1b" not in escapes


def test_output_is_capped_and_the_results_are_gradescopes(run):
    out = run["ctx"].out
    assert len((out / "huge_output" / "output.txt").read_bytes()) <= 16 * 1024
    result = json.loads((out / "planted_bug" / "results.json").read_text())
    assert result["score"] == 75 and len(result["tests"]) == 4
    assert {"name", "score", "max_score", "output", "visibility"} <= set(result["tests"][0])
    rows = list(csv.reader(open(out / "grades.csv", newline="")))
    assert rows[0] == ["student", "score", "max_score", "wideMinima.py:gradient_descent",
                       "wideMinima.py:classify", "conv1D.py:convolution", "conv1D.py:transposed",
                       "status", "seconds", "explanation"]
    record = json.loads((out / "grading.json").read_text())
    assert record["seed"] == 20221 and record["jobs"] == 2
    assert record["jail"].startswith("bubblewrap")
