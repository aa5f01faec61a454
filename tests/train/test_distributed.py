"""``torchrun --nproc_per_node=2`` on the CPU (gloo): data-parallel training gives the same
metrics keys, one output folder, and the accuracy of the single-process run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mfdnn.errors import ConfigError
from mfdnn.train import distributed

ARGS = ["run", "hw4-lenet-original", "--profile", "quick", "--device", "cpu", "--no-progress",
        "--set", "epochs=2", "train_size=5000", "test_size=500"]


def _torchrun() -> str:
    torchrun = Path(sys.executable).with_name("torchrun")
    return str(torchrun) if torchrun.exists() else str(shutil.which("torchrun"))


@pytest.mark.data
def test_two_process_torchrun_matches_single_process(tmp_path):
    torchrun = _torchrun()
    single, ddp = tmp_path / "single", tmp_path / "ddp"
    subprocess.run([sys.executable, "-m", "mfdnn", *ARGS, "--out", str(single)], check=True,
                   capture_output=True, timeout=600)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([torchrun, "--standalone", "--nproc_per_node=2", "-m",
                           "mfdnn", *ARGS, "--out", str(ddp)], capture_output=True, text=True,
                          timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    a = json.loads((single / "metrics.json").read_text())
    b = json.loads((ddp / "metrics.json").read_text())
    assert a.keys() == b.keys()
    # two ranks of 50 samples average to the gradient of the batch of 100
    assert a["test_accuracy"] > 0.3  # it learned something to compare
    assert abs(a["test_accuracy"] - b["test_accuracy"]) < 0.02
    assert abs(a["test_accuracy_full"] - b["test_accuracy_full"]) < 0.02
    manifest = json.loads((ddp / "manifest.json").read_text())
    assert manifest["world_size"] == 2
    assert manifest["train_samples"] == 2 * 2 * 5000  # 2 models, 2 epochs each
    assert manifest["samples_per_second"] > 0 and manifest["max_rss_mb"] > 0
    assert proc.stdout.count("done in") == 1  # rank 0 alone reports


@pytest.mark.parametrize("env_backend, backend", [(None, "nccl"), ("gloo", "gloo")])
def test_cuda_ranks_take_the_gpus_round_robin(monkeypatch, env_backend, backend):
    """Local rank 3 of a node with 2 GPUs trains on GPU 1; NCCL unless MFDNN_DIST_BACKEND."""
    calls = {}
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("LOCAL_RANK", "3")
    if env_backend:
        monkeypatch.setenv("MFDNN_DIST_BACKEND", env_backend)
    else:
        monkeypatch.delenv("MFDNN_DIST_BACKEND", raising=False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "set_device", lambda d: calls.setdefault("gpu", d))
    monkeypatch.setattr(distributed.dist, "is_initialized", lambda: False)
    monkeypatch.setattr(distributed.dist, "init_process_group",
                        lambda backend: calls.setdefault("backend", backend))
    assert distributed.init_from_env(torch.device("cuda")) == torch.device("cuda", 1)
    assert calls == {"gpu": 1, "backend": backend}


def test_an_unknown_backend_is_a_config_error(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("MFDNN_DIST_BACKEND", "carrier-pigeon")
    monkeypatch.setattr(distributed.dist, "is_initialized", lambda: False)
    with pytest.raises(ConfigError, match="MFDNN_DIST_BACKEND=carrier-pigeon"):
        distributed.init_from_env(torch.device("cpu"))


@pytest.mark.data
@pytest.mark.hw7
def test_torchrun_trains_a_missing_cached_model_on_every_rank(tmp_path):
    """The artifact cache under torchrun: rank 0 holds the lock and decides for both ranks
    (training needs both in DDP, a lock on each would deadlock); rank 0 alone writes."""
    from mfdnn.data.files import cache_root

    root = tmp_path / "cache"  # the real MNIST, an empty artifact cache
    root.mkdir()
    (root / "mnist").symlink_to(cache_root() / "mnist")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MFDNN_DATA": str(root)}
    args = ["run", "hw7-bn-remove", "--profile", "quick", "--device", "cpu", "--no-progress",
            "--set", "train_size=200", "test_size=100"]
    proc = subprocess.run([_torchrun(), "--standalone", "--nproc_per_node=2", "-m", "mfdnn",
                           *args, "--out", str(tmp_path / "run")], capture_output=True,
                          text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["trained_now"] and metrics["passed"]
    assert len(list((root / "artifacts" / "smallnet").glob("*.pt"))) == 1
