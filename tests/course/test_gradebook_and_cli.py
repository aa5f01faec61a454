"""The course verbs of the command line (the gradebook's own tests: test_gradebook.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mfdnn.cli.main import main


def test_check_release_and_site_verbs(tmp_path, capsys, reference_files):
    assert main(["homework", "release", "4", "--out", str(tmp_path / "rel")]) == 0
    assert (tmp_path / "rel" / "lenet_original.py").exists()
    assert main(["check", "1", *map(str, reference_files("hw1"))]) == 0
    assert "score: 100/100" in capsys.readouterr().out
    assert main(["site", "build", "--out", str(tmp_path / "www"), "--no-execute"]) == 0
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
