"""Every experiment's quick profile runs end to end and returns its documented metrics."""

from __future__ import annotations

import json

import pytest
import torch

from mfdnn.experiments.core.registry import all_experiments
from mfdnn.experiments.core.runner import run_experiment

EXPERIMENTS = sorted(all_experiments())
# every experiment on the CPU, and on a GPU where torch sees one (CI has none)
DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.skipif(
    not torch.cuda.is_available(), reason="torch sees no CUDA GPU"))]


@pytest.mark.smoke
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", EXPERIMENTS)
def test_quick_profile(name, device, tmp_path):
    record = run_experiment(name, profile="quick", out=tmp_path, progress=False, quiet=True,
                            device=device)
    missing = set(all_experiments()[name].metrics) - set(record.metrics)
    assert not missing, f"{name} lacks metrics {missing}"
    assert json.loads((tmp_path / "metrics.json").read_text()) == record.metrics
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["profile"] == "quick" and manifest["experiment"] == name
    assert manifest["device"].startswith(device)
    if device == "cuda":
        assert manifest["max_gpu_memory_mb"] > 0 or manifest["train_samples"] == 0
    for figure in manifest["figures"]:
        assert (tmp_path / figure).stat().st_size > 1000
