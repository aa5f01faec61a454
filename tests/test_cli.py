"""The command line: bad input exits with status 2 and one clear line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mfdnn.cli.main import main


def mfdnn(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mfdnn", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("args, fragment", [
    (["run", "no-such-experiment"], "unknown experiment 'no-such-experiment'; `mfdnn list`"),
    (["run", "hw1-wide-minimum"], "unknown experiment 'hw1-wide-minimum' (did you mean "
                                  "'hw1-wide-minima'?)"),
    (["run", "hw1-conv1d", "--set", "lamda=1"], "(did you mean 'lam'?)"),
    (["run", "hw1-wide-minima", "--set", "iterations=-1"], "iterations must be >= 0"),
    (["run", "ch2-softmax-mnist", "--set", "epochs=-1"], "epochs must be >= 1"),
    (["run", "ch2-softmax-mnist", "--set", "epochs=0"], "epochs must be >= 1"),
    (["run", "ch2-softmax-mnist", "--set", "batch_size=0"], "batch_size must be >= 1"),
    (["run", "ch2-softmax-mnist", "--set", "lr=-1"], "lr must be > 0"),
    (["run", "hw1-conv1d", "--set", "lr=nan"], "lr must be a finite number"),
    (["run", "hw1-wide-minima", "--set", "lrs=0.01,-4"], "lrs must be > 0"),
    (["run", "hw1-conv1d", "--set", "no_such_key=1"], "valid keys: n, r, lam, lr"),
    (["run", "hw1-conv1d", "--set", "lr=abc"], "lr expects float, got 'abc'"),
    (["run", "hw1-conv1d", "--profile", "huge"], "invalid choice: 'huge'"),
    (["run", "hw1-conv1d", "--device", "tpu"], "unknown device 'tpu'"),
    (["reproduce", "--only", "nothing*"], "matches no experiment"),
    (["data", "fetch", "imagenet"], "unknown data set 'imagenet'"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(args, fragment, tmp_path):
    proc = mfdnn(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert fragment in lines[0]
    assert "Traceback" not in proc.stderr


def test_run_writes_metrics_manifest_and_a_figure_deterministically(tmp_path, capsys):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert main(["run", "hw1-conv1d", "--out", str(out), "--no-progress"]) == 0
    metrics = [json.loads((o / "metrics.json").read_text()) for o in outs]
    assert metrics[0] == metrics[1]
    manifest = json.loads((outs[0] / "manifest.json").read_text())
    assert manifest["seed"] == 0 and manifest["config"]["lr"] == 0.01
    assert manifest["profile"] == "laptop" and "torch" in manifest["versions"]
    assert (outs[0] / manifest["figures"][0]).stat().st_size > 1000
    assert "hw1-conv1d [laptop, seed 0] done" in capsys.readouterr().out


def test_list_json_names_every_experiment_with_its_profiles(capsys):
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = {r["name"] for r in rows}
    assert {"hw1-wide-minima", "hw1-conv1d", "hw4-lenet-original"} <= names
    assert all(set(r["profiles"]) == {"quick", "laptop", "full"} for r in rows)


def test_reproduce_writes_summary_and_report(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["reproduce", "--profile", "quick", "--only", "hw1-*", "--out", str(out),
                 "--no-progress"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["experiments"]) == {"hw1-conv1d", "hw1-wide-minima"}
    assert summary["failed"] == 0
    page = (out / "report.html").read_text()
    assert "<img src='hw1-conv1d/objective.png'" in page
    assert (out / "hw1-conv1d" / "objective.png").exists()
