"""HW2 programs: logistic regression and SVM by SGD, the kernel trick, the two-layer net."""

from __future__ import annotations

import pytest
import torch

from mfdnn.experiments import hw2_kernel_logistic, hw2_linear_sgd, hw2_two_layer_sgd
from mfdnn.experiments.core.context import RunContext

pytestmark = pytest.mark.hw2


def _ctx(tmp_path):
    return RunContext("hw2", "test", 0, torch.device("cpu"), tmp_path)


def test_logistic_sgd_decreases_the_loss_and_layouts_differ(tmp_path):
    text = hw2_linear_sgd.run_logistic(hw2_linear_sgd.LogisticConfig(), _ctx(tmp_path))
    assert text["final_loss"] < text["initial_loss"] / 3
    official = hw2_linear_sgd.run_logistic(hw2_linear_sgd.LogisticConfig(layout="official"),
                                           _ctx(tmp_path))
    assert official["final_loss"] != text["final_loss"]
    longer = hw2_linear_sgd.run_logistic(
        hw2_linear_sgd.LogisticConfig(lr=0.5, iterations=20000), _ctx(tmp_path))
    assert longer["train_accuracy"] == 1.0  # separable: the loss keeps falling toward 0
    assert longer["theta_norm"] > text["theta_norm"]


def test_svm_never_hits_a_kink(tmp_path):
    m = hw2_linear_sgd.run_svm(hw2_linear_sgd.SVMConfig(), _ctx(tmp_path))
    assert m["nondifferentiable_hits"] == 0 and m["trials"] == 3000 * 15
    assert m["final_loss"] < m["initial_loss"]


def test_kernel_logistic_separates_the_circle(tmp_path):
    m = hw2_kernel_logistic.run(hw2_kernel_logistic.Config(), _ctx(tmp_path))
    assert m["train_accuracy"] == 1.0
    assert (tmp_path / "decision_boundary.png").exists()


def test_two_layer_sgd_fits(tmp_path):
    m = hw2_two_layer_sgd.run(hw2_two_layer_sgd.Config(), _ctx(tmp_path))
    assert m["train_loss"] < m["train_loss_initial"] / 20
    assert len(m["train_loss_curve"]) == 5
