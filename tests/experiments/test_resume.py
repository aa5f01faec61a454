"""A run killed with SIGKILL mid-training and restarted with --resume ends as an
uninterrupted run does (every metric except wall times)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

ARGS = ["--profile", "quick", "--device", "cpu", "--no-progress", "--set", "epochs=3",
        "train_size=1500", "test_size=300"]


def run(out, *extra):
    return subprocess.Popen([sys.executable, "-m", "mfdnn", "run", "hw4-lenet-original",
                             "--out", str(out), *ARGS, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def metrics_without_times(out):
    m = json.loads((out / "metrics.json").read_text())
    return {k: v for k, v in m.items() if "seconds" not in k}


@pytest.mark.data
@pytest.mark.hw4
def test_kill_and_resume_gives_the_same_metrics(tmp_path):
    straight, killed = tmp_path / "straight", tmp_path / "killed"
    assert run(straight).wait(timeout=600) == 0

    proc = run(killed)
    first = killed / "checkpoints" / "sparse.pt"
    deadline = time.time() + 300
    while not first.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (killed / "metrics.json").exists()

    resumed = run(killed, "--resume")
    assert resumed.wait(timeout=600) == 0, resumed.stderr.read()
    assert metrics_without_times(killed) == metrics_without_times(straight)
    assert json.loads((killed / "manifest.json").read_text())["resumed"] is True
