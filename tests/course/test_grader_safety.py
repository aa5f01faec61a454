"""The grader's own safety: the jail seen from outside, outputs that refuse links and FIFOs,
bad ids, a machine without a jail, and the self-check giving the grader's feedback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import jail_required  # noqa: F401 - a fixture

from mfdnn.course import sandbox
from mfdnn.course.checker import run_checks
from mfdnn.course.grader import Limits, grade_all
from mfdnn.course.release import strip_solutions
from mfdnn.course.session import Channel, Output
from mfdnn.errors import ConfigError

pytestmark = pytest.mark.hw1

FILES = ("conv1D.py", "wideMinima.py")


def _submissions(course, root: Path, variants: dict[str, dict[str, str]]) -> Path:
    ref = {f: (course.root / "solutions" / "hw1" / f).read_text() for f in FILES}
    for name, edits in variants.items():
        (root / name).mkdir(parents=True)
        for f in FILES:
            text = ref[f]
            if edits.get(f) == "starter":
                text = strip_solutions(text, f)
            elif edits.get(f):
                old, new = edits[f]
                text = text.replace(old, new)
            (root / name / f).write_text(text)
    return root


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        out += [int(c) for c in children]
        todo += [int(c) for c in children]
    return out


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if ":" in line)


@pytest.mark.usefixtures("jail_required")
def test_every_process_of_the_jail_is_unprivileged_seen_from_outside():
    jail = sandbox.Jail(Limits())
    jail.slots(1)
    channel = Channel(jail.start("hw1", {}, 0), Output(4096))
    try:
        channel.frame(channel.started.hello, time.monotonic() + 120, 1 << 16)
        inside = _descendants(channel.started.process.pid)
        assert len(inside) >= 2  # bwrap's init, the runner
        for pid in [channel.started.process.pid, *inside]:
            status = _status(pid)
            uids = [int(u) for u in status["Uid"].split()]
            gids = [int(g) for g in status["Gid"].split()]
            assert 0 not in uids and 0 not in gids, (pid, status["Name"])
            if os.geteuid() == 0:
                assert min(uids) >= sandbox.UID_BASE
            assert status["Groups"].strip() == ""
        runner = _status(inside[-1])
        assert runner["Name"].strip().startswith("python")
        assert int(runner["CapEff"], 16) == 0 and int(runner["CapPrm"], 16) == 0
        assert runner["NoNewPrivs"].strip() == "1"
        # its namespaces are not ours
        for ns in ("pid", "net", "mnt", "ipc", "uts", "user"):
            assert os.readlink(f"/proc/{inside[-1]}/ns/{ns}") != os.readlink(f"/proc/self/ns/{ns}")
    finally:
        channel.close()
        jail.release()
    assert all(not Path(f"/proc/{p}").exists() or "Z" in _status(p)["State"] for p in inside)


def test_a_fifo_or_link_where_the_grader_writes_is_refused_before_grading(course, tmp_path):
    subs = _submissions(course, tmp_path / "subs", {"ann": {}})
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "grades.csv")
    with pytest.raises(ConfigError, match="not a regular file"):
        grade_all(course, "hw1", subs, out)
    assert not (out / "ann").exists()  # refused before anything ran
    os.unlink(out / "grades.csv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "ann").symlink_to(elsewhere)
    with pytest.raises(ConfigError, match="not a folder"):
        grade_all(course, "hw1", subs, out)
    os.unlink(out / "ann")
    (out / "ann").mkdir()
    (out / "ann" / "results.json").symlink_to(elsewhere / "stolen.json")
    with pytest.raises(ConfigError, match="not a regular file"):
        grade_all(course, "hw1", subs, out)
    assert not list(elsewhere.iterdir())


def test_results_replace_files_atomically_without_following_links(tmp_path):
    from mfdnn.course.grader import write_atomic

    target = tmp_path / "victim.txt"
    target.write_text("keep")
    folder = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        write_atomic(folder, "results.json", b"{}")
        assert (tmp_path / "results.json").read_text() == "{}"
        os.symlink(target, tmp_path / "link.json")
        with pytest.raises(ConfigError):
            write_atomic(folder, "link.json", b"pwned")
    finally:
        os.close(folder)
    assert target.read_text() == "keep"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("name", ["bad\x1b[31mname", "grades.csv", "trailing ", "a\tb",
                                  "\u202eevil"])
def test_a_folder_name_that_is_not_a_student_id_stops_the_run(course, tmp_path, name, capsys):
    from mfdnn.cli.main import main

    subs = tmp_path / "subs"
    (subs / name).mkdir(parents=True)
    (subs / name / "conv1D.py").write_text("x = 1\n")
    assert main(["grade", "1", str(subs), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "not a valid student id" in lines[0], err
    assert "\x1b" not in err and "\u202e" not in err and "\t" not in err
    assert not (tmp_path / "out").exists()


def test_without_a_jail_grade_stops_unless_no_jail_is_given(course, tmp_path, monkeypatch,
                                                            capsys):
    subs = _submissions(course, tmp_path / "subs", {"ann": {}, "bob": {"conv1D.py": "starter"}})
    monkeypatch.setattr(sandbox, "find_bwrap", lambda: None)
    with pytest.raises(ConfigError, match="no jail: bubblewrap"):
        grade_all(course, "hw1", subs, tmp_path / "out")
    monkeypatch.setattr(sandbox, "find_bwrap", lambda: "/bin/false")  # bwrap that cannot work
    with pytest.raises(ConfigError, match="no jail: the jail did not start"):
        grade_all(course, "hw1", subs, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    grades = {g.student: g for g in grade_all(course, "hw1", subs, tmp_path / "out",
                                               Limits(check_time_scale=0.5), jobs=2,
                                               jailed=False)}
    assert "--no-jail" in capsys.readouterr().err
    assert grades["ann"].score == 100 and grades["bob"].score == 50
    assert all(g.explanation.startswith("[no jail] ") for g in grades.values())
    assert '"jail": "no jail' in (tmp_path / "out" / "grading.json").read_text()


PLANTED = {
    "reference": {},
    "starter": {"conv1D.py": "starter", "wideMinima.py": "starter"},
    "wrong_gd": {"wideMinima.py": ("theta = theta - alpha * f_prime(theta)",
                                   "theta = theta - alpha * f_prime(theta) * 0.999")},
    "wrong_transpose": {"conv1D.py": ("if 0 <= i - t <= m)", "if 0 <= i - t < m)")},
    "raises": {"conv1D.py": ("import numpy as np\n", "import numpy as np\nraise ValueError"
                                                     "('no numpy today')\n")},
}


@pytest.mark.usefixtures("jail_required")
def test_the_self_check_gives_the_graders_feedback(course, tmp_path):
    subs = _submissions(course, tmp_path / "subs", PLANTED)
    graded = {g.student: g for g in grade_all(course, "hw1", subs, tmp_path / "out",
                                               Limits(check_time_scale=0.5), jobs=2, seed=77)}
    for name in PLANTED:
        report = run_checks("hw1", sorted((subs / name).iterdir()), seed=77)
        mine = [(r.status, r.message) for r in report.results]
        theirs = [tuple(t["output"].split(": ", 1)) for t in graded[name].tests]
        assert mine == theirs, name
        assert report.score == graded[name].score
    assert graded["wrong_transpose"].score == 75
    assert "entry [" in graded["wrong_transpose"].tests[3]["output"]


def test_self_check_exit_status_full_marks_below_and_bad_input(course, tmp_path, capsys):
    from mfdnn.cli.main import main

    subs = _submissions(course, tmp_path / "subs", {k: PLANTED[k] for k in
                                                    ("reference", "starter", "wrong_gd")})
    assert main(["check", "1", *map(str, (subs / "reference").iterdir())]) == 0
    assert main(["check", "1", str(subs / "starter" / "conv1D.py")]) == 1
    capsys.readouterr()
    assert main(["check", "1", *map(str, (subs / "wrong_gd").iterdir())]) == 1
    out = capsys.readouterr().out
    assert "gradient_descent(theta0, 0.01, 1000): entry [0] is" in out and ", expected " in out
    binary = tmp_path / "conv1D.py"
    binary.write_bytes(b"\x7fELF\x00\x00binary")
    for args, fragment in (([str(binary)], "not a Python source file"),
                           ([str(tmp_path / "notes.txt")], "notes.txt is not a file of this"),
                           ([str(tmp_path / "wideMinima.py")], "no such file")):
        assert main(["check", "1", *args]) == 2
        err = capsys.readouterr().err
        assert fragment in err and len(err.strip().splitlines()) == 1, err


def test_the_command_line_exit_status_is_the_self_checks(course, tmp_path):
    subs = _submissions(course, tmp_path / "subs", {"starter": PLANTED["starter"]})
    proc = subprocess.run([sys.executable, "-m", "mfdnn", "check", "1",
                           *map(str, (subs / "starter").iterdir())],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "score: 0/100" in proc.stdout


@pytest.mark.usefixtures("jail_required")
def test_a_torch_homework_in_the_jail_keeps_forgers_at_zero(course, tmp_path):
    """HW11 (PyTorch in the jail): the reference keeps 100 and the starter 0; a starter that
    replaces the probes with the old fixed answers (count_errors' (1, 3)) and made-up
    values gets nothing."""
    ref = (course.root / "solutions" / "hw11" / "flow_anomaly.py").read_text()
    starter = strip_solutions(ref, "flow_anomaly.py")
    forger = starter.replace("import torch\n", '''import torch
import sys
import numpy as np
_p = sys.modules["mfdnn_probes.hw11"]
_p.count_errors = lambda mod, req: {"counts": [np.array(1), np.array(3)]}
_p.threshold = lambda mod, req: {"threshold": float(np.mean(req["ll"]))}
_p.log_likelihoods = lambda mod, req: {"ll": np.zeros(300)}
''', 1)
    subs = tmp_path / "subs"
    for name, text in (("reference", ref), ("starter", starter), ("forger", forger)):
        (subs / name).mkdir(parents=True)
        (subs / name / "flow_anomaly.py").write_text(text)
    grades = {g.student: g for g in grade_all(course, "hw11", subs, tmp_path / "out",
                                               jobs=2, seed=11)}
    assert grades["reference"].score == 100, grades["reference"].explanation
    assert grades["starter"].score == 0 and grades["forger"].score == 0
    assert grades["forger"].status == "graded"
    assert "count_errors gives (1, 3)" in " ".join(t["output"] for t in grades["forger"].tests)


def test_the_jails_tmp_does_not_cover_an_installation_under_tmp(monkeypatch):
    """A venv or checkout under /tmp (a CI clone) stays visible: bubblewrap mounts in order,
    so the jail's /tmp tmpfs must come before the read-only binds of the installation."""
    box = sandbox.Jail(sandbox.Limits(), jailed=False)
    box.bwrap, box.bind_mode = "bwrap", "direct"
    box.runtime.binds.append(("/tmp/ci/.venv/lib/python3/site-packages",) * 2)
    argv = box._bwrap_argv({}, [], [])
    tmpfs = [i for i, a in enumerate(argv) if a == "--tmpfs" and argv[i + 1] == "/tmp"]
    binds = [i for i, a in enumerate(argv) if a == "--ro-bind" and argv[i + 2].startswith("/tmp")]
    assert len(tmpfs) == 1 and binds and tmpfs[0] < min(binds)
