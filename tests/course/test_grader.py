"""The grader: each submission in its own limited process; hostile submissions are stopped
or contained, scored and explained in one line, and the others are unaffected."""

from __future__ import annotations

import csv
import json

import pytest

from mfdnn.course.grader import Limits, grade_all
from mfdnn.course.release import release

pytestmark = pytest.mark.hw1

GD = "    theta = np.array(theta0, dtype=float)\n"
IMPORT = "import numpy as np\n"


def hostile_cases(course, tmp_path):
    """name -> (file, text to replace, replacement) planted into the reference solution."""
    secret = tmp_path / "secret.txt"
    secret.write_text("the answer key")
    ref = course.root / "solutions" / "hw1" / "conv1D.py"
    return {
        "infinite_loop": ("conv1D.py", "        return np.array([self.k @ x",
                          "        while True:\n            try:\n                pass\n"
                          "            except BaseException:\n                pass\n"
                          "        return np.array([self.k @ x"),
        "unbounded_memory": ("wideMinima.py", GD, "    hoard = []\n    while True:\n"
                             "        hoard.append(np.ones(10**7))\n" + GD),
        "fork_bomb": ("conv1D.py", IMPORT, IMPORT + "import os\nwhile True:\n    os.fork()\n"),
        "read_outside": ("wideMinima.py", GD, f"    open({str(secret)!r}).read()\n" + GD),
        "write_outside": ("wideMinima.py", GD,
                          f"    open({str(tmp_path / 'pwned.txt')!r}, 'w').write('x')\n" + GD),
        "import_reference": ("conv1D.py", IMPORT, IMPORT + (
            "import importlib.util\n"
            f"_spec = importlib.util.spec_from_file_location('ref', {str(ref)!r})\n"
            "_ref = importlib.util.module_from_spec(_spec)\n_spec.loader.exec_module(_ref)\n")),
        "raise_at_import": ("conv1D.py", IMPORT, IMPORT + "raise RuntimeError('boom')\n"),
        "print_megabytes": ("wideMinima.py", GD, "    print('x' * 3_000_000)\n" + GD),
        "kill_the_grader": ("wideMinima.py", GD,
                            "    import os\n    os.kill(os.getppid(), 9)\n" + GD),
        "network": ("wideMinima.py", GD, "    import socket\n"
                    "    socket.create_connection(('127.0.0.1', 9))\n" + GD),
        "exit_at_import": ("conv1D.py", IMPORT, IMPORT + "import os\nos._exit(0)\n"),
    }


def make_submissions(course, tmp_path, copy_reference, cases):
    root = tmp_path / "submissions"
    copy_reference("hw1", root / "good_before")
    copy_reference("hw1", root / "good_after")
    release(course, "hw1", root / "starter")
    for name, (file, old, new) in cases.items():
        (path,) = [p for p in copy_reference("hw1", root / name) if p.name == file]
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
    return root


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    import shutil

    tmp_path = tmp_path_factory.mktemp("grade")

    def copy_reference(hw, dest):
        dest.mkdir(parents=True, exist_ok=True)
        h = course.get_homework(hw)
        return [shutil.copy(course.root / "solutions" / h.id / f, dest / f) and dest / f
                for f in h.files]

    cases = hostile_cases(course, tmp_path)
    root = make_submissions(course, tmp_path, copy_reference, cases)
    out = tmp_path / "out"
    limits = Limits(wall_seconds=20, cpu_seconds=30, memory_mb=1024, output_kb=16)
    grades = {g.student: g for g in grade_all(course, "hw1", root, out, limits)}
    return grades, out, tmp_path


def test_good_submissions_are_unaffected_by_the_hostile_ones(graded):
    grades, _, _ = graded
    for name in ("good_before", "good_after"):
        assert grades[name].score == 100 and grades[name].status == "graded"
    assert grades["starter"].score == 0


@pytest.mark.parametrize("name, score, status, phrase", [
    ("infinite_loop", 50, "timeout", "time limit during check conv1D.py:convolution"),
    ("unbounded_memory", 75, "graded", "MemoryError"),
    ("fork_bomb", 50, "graded", "starting a process (fork) is not allowed"),
    ("read_outside", 75, "graded", "secret.txt"),
    ("write_outside", 75, "graded", "pwned.txt (outside the submission's folder)"),
    ("import_reference", 50, "graded", "solutions/hw1/conv1D.py"),
    ("raise_at_import", 50, "graded", "importing conv1D.py failed: RuntimeError: boom"),
    ("print_megabytes", 100, "graded", "output truncated"),
    ("kill_the_grader", 75, "graded", "sending a signal is not allowed"),
    ("network", 75, "graded", "network access is not allowed"),
    ("exit_at_import", 50, "crashed", "exited with status 0 during check conv1D.py:convolution"),
])
def test_a_hostile_submission_is_contained_scored_and_explained(graded, name, score, status,
                                                                phrase):
    grades, _, tmp_path = graded
    g = grades[name]
    assert (g.score, g.status) == (score, status), g.explanation
    assert phrase in g.explanation
    assert "\n" not in g.explanation
    assert not (tmp_path / "pwned.txt").exists()


def test_grades_csv_and_gradescope_results(graded):
    grades, out, _ = graded
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    assert set(rows) == set(grades)
    assert rows["good_before"]["score"] == "100" and rows["infinite_loop"]["status"] == "timeout"
    assert rows["fork_bomb"]["conv1D.py:convolution"] == "0"
    result = json.loads((out / "read_outside" / "results.json").read_text())
    assert result["score"] == 75 and len(result["tests"]) == 4
    assert {"name", "score", "max_score", "output"} <= set(result["tests"][0])
    assert len((out / "print_megabytes" / "output.txt").read_text()) < 100_000


def test_without_namespaces_the_audit_hook_alone_contains_the_submission(course, tmp_path,
                                                                        copy_reference):
    cases = hostile_cases(course, tmp_path)
    chosen = {k: cases[k] for k in ("import_reference", "write_outside")}
    root = make_submissions(course, tmp_path, copy_reference, chosen)
    for extra in ("good_after", "starter"):
        import shutil

        shutil.rmtree(root / extra)
    grades = {g.student: g for g in grade_all(
        course, "hw1", root, tmp_path / "out", Limits(wall_seconds=20, memory_mb=1024),
        use_namespaces=False)}
    assert grades["good_before"].score == 100
    assert grades["import_reference"].score == 50
    assert grades["write_outside"].score == 75
    assert not (tmp_path / "pwned.txt").exists()


def test_an_interpreter_that_cannot_import_mfdnn_is_refused_before_grading(
        course, tmp_path, copy_reference, monkeypatch):
    """Submissions run under ``python -I``, which ignores PYTHONPATH: with mfdnn found only
    there, every submission would "crash"; the grader says so once instead."""
    from mfdnn.course import grader
    from mfdnn.errors import ConfigError

    assert grader.isolated_import_works()  # installed, as `make` does
    assert not grader.isolated_import_works("mfdnn_has_no_such_module")
    root = make_submissions(course, tmp_path, copy_reference, {})
    monkeypatch.setattr(grader, "isolated_import_works", lambda: False)
    with pytest.raises(ConfigError, match="install the package"):
        grade_all(course, "hw1", root, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing half-written
