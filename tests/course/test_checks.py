"""Per-homework checks through the self-check: an unmodified starter scores zero, and a
planted wrong answer loses exactly its check's points (the other checks pass on the
reference code; test_verdicts.py shows the reference's answers pass every check)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mfdnn.course.checker import available_homework, homework_checks, run_checks
from mfdnn.course.release import release

# (homework, file, text in the reference, planted replacement, the check that must fail)
PLANTED = [
    (
        "hw1",
        "wideMinima.py",
        "theta = theta - alpha * f_prime(theta)",
        "theta = theta - alpha * f_prime(theta) * 0.999",
        "wideMinima.py:gradient_descent",
    ),
    (
        "hw1",
        "wideMinima.py",
        "elif abs(t - SHARP_MIN) <= abs(t - WIDE_MIN):",
        "elif abs(t - SHARP_MIN) < abs(t - WIDE_MIN) - 1:",
        "wideMinima.py:classify",
    ),
    (
        "hw1",
        "conv1D.py",
        "for j in range(self.n - self.r + 1)])",
        "for j in range(self.n - self.r + 1)]) * 1.0001",
        "conv1D.py:convolution",
    ),
    ("hw1", "conv1D.py", "if 0 <= i - t <= m)", "if 0 <= i - t < m)", "conv1D.py:transposed"),
    (
        "hw4",
        "lenet_original.py",
        "[0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],",
        "[0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 4],",
        "lenet_original.py:sparse_c3",
    ),
    (
        "hw4",
        "lenet_original.py",
        "sum(p.numel() for p in model.parameters() if p.requires_grad)",
        "sum(p.numel() for p in model.parameters())",
        "lenet_original.py:count_parameters",
    ),
    (
        "hw4",
        "lenet_original.py",
        "        optimizer.zero_grad()\n        loss = F.cross_entropy(",
        "        loss = F.cross_entropy(",
        "lenet_original.py:train_one_epoch",
    ),
    (
        "hw4",
        "lenet_original.py",
        "return total_loss / count, correct / count",
        "return total_loss / len(loader), correct / count",
        "lenet_original.py:evaluate",
    ),
    (
        "hw2",
        "twolayerSGD.py",
        "u * sigmoid_prime(z) * x, u * sigmoid_prime(z), sigmoid(z)",
        "u * sigmoid_prime(z) * x, sigmoid_prime(z), sigmoid(z)",
        "twolayerSGD.py:diff_f_th",
    ),
    (
        "hw2",
        "twolayerSGD.py",
        "        i = rng.randint(len(X))\n        residual",
        "        i = rng.randint(len(X) - 1)\n        residual",
        "twolayerSGD.py:sgd",
    ),
    (
        "hw3",
        "threelayerSGD.py",
        "layer.bias.fill_(0.03)",
        "layer.bias.fill_(0.0)",
        "threelayerSGD.py:build_model",
    ),
    (
        "hw3",
        "threelayerSGD.py",
        "        loss = loss_fn(model(x), y)\n",
        "        loss = loss_fn(model(x), y) / 2\n",
        "threelayerSGD.py:train_epoch",
    ),
    (
        "hw5",
        "mlp_backprop.py",
        "        g = db @ As[ell]",
        "        g = db @ As[ell] * 1.01",
        "mlp_backprop.py:backprop",
    ),
    (
        "hw5",
        "label_memorization.py",
        "nn.Conv2d(96, 256, 5, padding=2)",
        "nn.Conv2d(96, 256, 5, padding=1)",
        "label_memorization.py:alexnet_memo",
    ),
    (
        "hw5",
        "label_memorization.py",
        "    labels = torch.randint(0, 10, (n_subset,))\n    return",
        "    labels = torch.randint(0, 9, (n_subset,))\n    return",
        "label_memorization.py:random_label_subset",
    ),
    (
        "hw5",
        "label_memorization.py",
        "    model.eval()\n    correct = 0",
        "    correct = 0",
        "label_memorization.py:accuracy",
    ),
    (
        "hw6",
        "ddescent.py",
        "return np.maximum(X @ W.T, 0)",
        "return np.abs(X @ W.T)",
        "ddescent.py:relu_features",
    ),
    (
        "hw6",
        "ddescent.py",
        "F.T @ F + lam * np.eye(F.shape[1])",
        "F.T @ F + lam",
        "ddescent.py:ridge",
    ),
    (
        "hw6",
        "ddescent.py",
        "best = (val, lam, np.linalg.norm(F_test @ theta - Y_test))",
        "best = (val, lam, np.linalg.norm(F_test @ theta - Y_test) ** 2)",
        "ddescent.py:tuned_test_error",
    ),
    (
        "hw7",
        "counting_params.py",
        "output[0].numel() * module.in_channels * k",
        "output[0].numel() * module.in_channels * k * 2",
        "counting_params.py:count_macs",
    ),
    (
        "hw7",
        "bn_remove.py",
        "torch.sqrt(bn.running_var.double() + bn.eps)",
        "torch.sqrt(bn.running_var.double())",
        "bn_remove.py:fold",
    ),
    (
        "hw7",
        "LNiN.py",
        "                conv.bias.copy_(linear.bias)\n",
        "",
        "LNiN.py:copy_weights_from",
    ),
    (
        "hw12",
        "minimax_logistic.py",
        "g_phi = np.mean(Y * s) * theta - lam * phi",
        "g_phi = np.mean(Y * s) * theta - lam / 2 * phi",
        "minimax_logistic.py:objective_and_gradients",
    ),
    (
        "hw12",
        "minimax_logistic.py",
        "theta, phi = theta - alpha * g_theta, phi + beta * g_phi",
        "theta, phi = theta - alpha * g_theta, phi - beta * g_phi",
        "minimax_logistic.py:sgda",
    ),
    (
        "hw12",
        "swiss_roll.py",
        "np.sqrt(rng.uniform(0.25, 4, n))",
        "rng.uniform(0.5, 2, n)",
        "swiss_roll.py:make_swiss_roll",
    ),
    (
        "hw12",
        "swiss_roll.py",
        "(torch.exp(2 * log_sigma) + mu**2) / 2",
        "(torch.exp(log_sigma) + mu**2) / 2",
        "swiss_roll.py:vae_loss",
    ),
    (
        "hw12",
        "swiss_roll.py",
        "(-torch.log(d_real) - torch.log(1 - d_fake)).mean()",
        "(-torch.log(d_real) - torch.log(d_fake)).mean()",
        "swiss_roll.py:discriminator_loss",
    ),
    (
        "hw12",
        "swiss_roll.py",
        "return torch.log(1 - d_fake).mean()",
        "return -torch.log(d_fake).mean()",
        "swiss_roll.py:generator_loss",
    ),
    (
        "hw9",
        "normalizingFlow1d.py",
        "z = (self.w.exp() * (normal.cdf(x) - 0.5)).sum(dim=1)",
        "z = (self.w.exp() * normal.cdf(x)).sum(dim=1)",
        "normalizingFlow1d.py:flow_forward",
    ),
    (
        "hw9",
        "normalizingFlow1d.py",
        "return -0.5 * z**2 - 0.5 * math.log(2 * math.pi) + torch.log(dz)",
        "return -0.5 * z**2 - 0.5 * math.log(2 * math.pi) + dz",
        "normalizingFlow1d.py:log_likelihood",
    ),
    (
        "hw9",
        "normalizingFlow1d.py",
        "for _ in range(steps):",
        "for _ in range(steps // 2):",
        "normalizingFlow1d.py:inverse",
    ),
    (
        "hw9",
        "anomaly_detection.py",
        "nn.Linear(128, 32),\n                                     nn.ReLU())",
        "nn.Linear(128, 32))",
        "anomaly_detection.py:autoencoder",
    ),
    (
        "hw9",
        "anomaly_detection.py",
        "(x - model(x)).pow(2).flatten(1).sum(1)",
        "(x - model(x)).pow(2).flatten(1).mean(1)",
        "anomaly_detection.py:anomaly_scores",
    ),
    (
        "hw9",
        "anomaly_detection.py",
        "validation_scores.mean() + 3 *",
        "validation_scores.mean() + 2 *",
        "anomaly_detection.py:threshold",
    ),
    (
        "hw10",
        "flow_inpainting.py",
        "            even = even + sign * self.m(odd)",
        "            even = even + self.m(odd)",
        "flow_inpainting.py:coupling",
    ),
    (
        "hw10",
        "flow_inpainting.py",
        "x.copy_(torch.where(known, image, x.clamp(0, 1)))",
        "x.copy_(torch.where(known, image, x))",
        "flow_inpainting.py:inpaint",
    ),
    (
        "hw11",
        "flow_anomaly.py",
        "out.append(model(images[start:start + batch_size].reshape(-1, 784)))",
        "out.append(model(images[start:start + batch_size - 1].reshape(-1, 784)))",
        "flow_anomaly.py:log_likelihoods",
    ),
    (
        "hw11",
        "flow_anomaly.py",
        "validation_ll.mean() - 3 *",
        "validation_ll.mean() + 3 *",
        "flow_anomaly.py:threshold",
    ),
    (
        "hw11",
        "flow_anomaly.py",
        "int((anomaly_ll >= limit).sum())",
        "int((anomaly_ll > limit).sum())",
        "flow_anomaly.py:count_errors",
    ),
]


def test_every_homework_with_checks_has_100_points_and_a_planted_bug_per_check():
    for hw in available_homework():
        checks = homework_checks(hw)
        assert sum(c.points for c in checks) == 100, hw
        assert len({c.id for c in checks}) == len(checks)
        planted = {p[4] for p in PLANTED if p[0] == hw}
        assert planted == {c.id for c in checks}, f"{hw}: every check needs a planted bug"


@pytest.mark.parametrize("hw", available_homework())
def test_unmodified_starter_scores_zero(course, hw, tmp_path):
    report = run_checks(hw, release(course, hw, tmp_path))
    assert report.score == 0
    assert {r.status for r in report.results} == {"not-implemented"}


@pytest.mark.parametrize("hw, file, old, new, check_id", PLANTED, ids=[p[4] for p in PLANTED])
def test_a_planted_wrong_answer_loses_exactly_its_checks_points(
    planted, hw, file, old, new, check_id
):
    report = run_checks(hw, planted(hw, file, old, new))
    lost = {r.id: r.max_score - r.score for r in report.results if r.score < r.max_score}
    points = next(c.points for c in homework_checks(hw) if c.id == check_id)
    assert lost == {check_id: points}, [(r.id, r.message) for r in report.results]


def test_missing_file_scores_only_that_files_checks(reference_files):
    (conv,) = [p for p in reference_files("hw1") if p.name == "conv1D.py"]
    report = run_checks("hw1", [conv])
    assert report.score == 50
    assert {r.status for r in report.results if r.file == "wideMinima.py"} == {"missing-file"}


def test_a_check_that_runs_too_long_is_stopped_and_the_others_still_run(planted):
    files = planted(
        "hw1",
        "conv1D.py",
        "        m = self.n - self.r\n",
        "        while True:\n            pass\n",
    )
    report = run_checks("hw1", files, time_scale=0.02)
    status = {r.id: r.status for r in report.results}
    assert status["conv1D.py:transposed"] == "timeout"
    assert report.score == 75


# -- the checks' own oracles, checked against autograd ---------------------------------------


@pytest.mark.hw1
def test_hw1_checker_derivative_equals_autograd():
    from mfdnn.course.checks.hw1 import f_prime

    theta = torch.linspace(-5, 20, 101, dtype=torch.float64, requires_grad=True)
    s = torch.sigmoid(3 * (theta - 3))
    f = (1 - s) * 10 * theta**2 + s * ((theta - 10) ** 2 / 2 + 50)
    (grad,) = torch.autograd.grad(f.sum(), theta)
    assert np.allclose(f_prime(theta.detach().numpy()), grad.numpy(), atol=1e-9)


@pytest.mark.hw1
def test_hw1_checker_dense_matrix_equals_the_library_operator():
    from mfdnn.course.checks.hw1 import dense
    from mfdnn.nn.conv1d import Convolution1d

    rng = np.random.RandomState(0)
    k, x = rng.randn(3), rng.randn(20)
    assert np.allclose(dense(k, 20) @ x, Convolution1d(k, 20) @ x, atol=1e-14)
