"""Appendix A and HW10 P5/P6 runs: estimates within their standard errors of exact values."""

from __future__ import annotations

import math

import pytest
import torch

from mfdnn.experiments import cha_monte_carlo, hw10_gamblers_ruin, hw10_gradient_estimators
from mfdnn.experiments.core.context import RunContext

pytestmark = pytest.mark.hw10


def _ctx(tmp_path):
    return RunContext("mc", "test", 0, torch.device("cpu"), tmp_path)


def test_appendix_a_demos(tmp_path):
    cfg = cha_monte_carlo.Config(pi_samples=2**16, repeats=30, largest_n=2**12)
    m = cha_monte_carlo.run(cfg, _ctx(tmp_path))
    assert abs(m["pi_estimate"] - math.pi) < 4 * m["pi_std_error"]
    assert m["pi_std_error"] == pytest.approx(math.sqrt(math.pi * (4 - math.pi) / 2**16),
                                              rel=0.05)
    assert abs(m["tail_importance"] - m["tail_exact"]) < 4 * m["tail_importance_std_error"]
    assert m["tail_importance_std_error"] < m["tail_exact"] / 5
    assert m["error_slope"] == pytest.approx(-0.5, abs=0.15)
    for key in ("ld_final_mu", "rt_final_mu"):
        assert all(abs(v - 5) < 1.0 for v in m[key])


def test_gamblers_ruin(tmp_path):
    m = hw10_gamblers_ruin.run(hw10_gamblers_ruin.Config(), _ctx(tmp_path))
    assert m["plain_estimate"] == 0.0
    assert abs(m["estimate"] - m["exact"]) < 4 * m["std_error"]
    assert abs(m["estimate_all_games"] - m["exact"]) < 4 * m["std_error_all_games"]
    assert m["std_error"] < m["exact"] / 5


def test_gradient_estimators(tmp_path):
    cfg = hw10_gradient_estimators.Config(variance_repeats=3000, optimum_steps=3000)
    m = hw10_gradient_estimators.run(cfg, _ctx(tmp_path))
    assert m["grad_var_reparam"] < m["grad_var_log_derivative"]
    for method in ("log_derivative", "reparam"):
        assert abs(m[f"mu_{method}"] - m["mu_exact_gradient"]) < 0.15
        assert abs(m[f"sigma_{method}"] - m["sigma_exact_gradient"]) < 0.15
    assert m["objective_optimum"] < m["objective_local_minimum"]
