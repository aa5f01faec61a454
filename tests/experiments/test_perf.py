"""perf-lenet: it stops at the first check that reaches the target, and says when none did."""

from __future__ import annotations

import pytest

from mfdnn.errors import ConfigError
from mfdnn.experiments.core.runner import run_experiment


def run(tmp_path, **overrides):
    return run_experiment("perf-lenet", profile="quick", out=tmp_path, progress=False,
                          quiet=True, device="cpu",
                          overrides=[f"{k}={v}" for k, v in overrides.items()]).metrics


def test_stops_at_the_first_check_that_reaches_the_target(tmp_path):
    m = run(tmp_path, target_accuracy=0.5, evals_per_epoch=4)
    assert m["reached"] and m["test_accuracy"] >= 0.5
    assert m["epochs"] == m["check_epochs"][-1] < 1  # before the end of the schedule
    assert all(a < 0.5 for a in m["test_accuracy_curve"][:-1])
    assert 0 < m["seconds_to_target"] == m["check_seconds"][-1]
    assert m["num_params"] == 61728


def test_an_unreached_target_trains_the_whole_schedule_and_reports_minus_one(tmp_path):
    m = run(tmp_path, target_accuracy=0.9999, evals_per_epoch=2)
    assert not m["reached"] and m["seconds_to_target"] == -1
    assert m["check_epochs"] == [0.4894, 0.9787, 1]  # 47 steps: after 23, 46, and the end


@pytest.mark.parametrize("bad", [dict(target_accuracy=1.5), dict(evals_per_epoch=0)])
def test_bad_settings_are_config_errors(tmp_path, bad):
    with pytest.raises(ConfigError):
        run(tmp_path, **bad)
