"""Gradebook (HW 30%, midterm 30%, final 40%) and the course verbs of the command line."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from mfdnn.cli.main import main
from mfdnn.course.gradebook import write_gradebook
from mfdnn.errors import ConfigError


def write_csv(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)


def test_gradebook_weights_homework_midterm_and_final(course, tmp_path):
    write_csv(tmp_path / "hw" / "hw1" / "grades.csv",
              [["student", "score", "max_score"], ["ann", "100", "100"], ["bob", "50", "100"]])
    write_csv(tmp_path / "hw" / "hw2" / "grades.csv",
              [["student", "score", "max_score"], ["ann", "40", "50"]])
    write_csv(tmp_path / "exams.csv", [["student", "midterm", "final"], ["ann", "90", "70"],
                                       ["bob", "60", "80"]])
    rows = {r["student"]: r for r in write_gradebook(course, tmp_path / "hw",
                                                     tmp_path / "exams.csv", tmp_path / "f.csv")}
    # ann: homework mean (100 + 80) / 2 = 90; total .3*90 + .3*90 + .4*70 = 82
    assert rows["ann"]["homework"] == "90.00" and rows["ann"]["total"] == "82.00"
    # bob: hw2 missing counts 0 -> 25; total .3*25 + .3*60 + .4*80 = 57.5
    assert rows["bob"]["hw2"] == "0.00" and rows["bob"]["total"] == "57.50"
    assert rows["ann"]["hw3"] == ""  # not graded yet: left out of the mean
    assert list(csv.DictReader(open(tmp_path / "f.csv")))[0]["student"] == "ann"


@pytest.mark.parametrize("rows, message", [
    ([["student", "midterm"], ["ann", "90"]], "missing column(s) final"),
    ([["student", "midterm", "final"], ["ann", "ninety", "70"]], "line 2: expected a number"),
    ([["student", "midterm", "final"], ["ann", "190", "70"]], "out of 100"),
])
def test_gradebook_rejects_bad_exam_files(course, tmp_path, rows, message):
    write_csv(tmp_path / "hw" / "hw1" / "grades.csv", [["student", "score", "max_score"],
                                                      ["ann", "1", "2"]])
    write_csv(tmp_path / "exams.csv", rows)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        write_gradebook(course, tmp_path / "hw", tmp_path / "exams.csv", tmp_path / "f.csv")


def test_check_release_and_site_verbs(tmp_path, capsys, reference_files):
    assert main(["homework", "release", "4", "--out", str(tmp_path / "rel")]) == 0
    assert (tmp_path / "rel" / "lenet_original.py").exists()
    assert main(["check", "1", *map(str, reference_files("hw1"))]) == 0
    assert "score: 100/100" in capsys.readouterr().out
    assert main(["site", "build", "--out", str(tmp_path / "www")]) == 0
    assert (tmp_path / "www" / "index.html").exists()
    assert main(["notebook", "A", "--out", str(tmp_path / "nb")]) == 0
    assert (tmp_path / "nb" / "chapter-A.ipynb").exists()


@pytest.mark.parametrize("args, fragment", [
    (["check", "13", "x.py"], "unknown homework '13'"),
    (["check", "8", "x.py"], "no checks for hw8 yet"),
    (["check", "1", "nothere.py"], "nothere.py is not a file of this homework"),
    (["homework", "release", "8", "--out", "x"], "written problems only"),
    (["notebook", "7", "--out", "x"], "unknown chapter '7'"),
    (["site", "build", "--out", "x", "--course", "/nonexistent"], "course metadata not found"),
])
def test_course_verbs_fail_with_one_line(args, fragment, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mfdnn", *args], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr
