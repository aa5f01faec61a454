"""HW12 P1: the robust logistic objective's gradients, and one simultaneous SGDA step."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mfdnn.gan.minimax import gradients, objective, sgda

pytestmark = pytest.mark.hw12


def problem(seed: int = 0):
    rng = np.random.RandomState(seed)
    X = rng.randn(30, 20)
    Y = 2 * rng.randint(2, size=30) - 1
    return X, Y, 0.1 * rng.randn(20), 0.1 * rng.randn(20), rng


def test_gradients_match_autograd_full_batch_and_per_sample():
    X, Y, theta, phi, _ = problem()
    lam = 30.0
    t = torch.tensor(theta, requires_grad=True)
    f = torch.tensor(phi, requires_grad=True)
    Xt, Yt = torch.tensor(X), torch.tensor(Y, dtype=torch.float64)
    for rows in (slice(None), slice(4, 5)):
        margins = Yt[rows] * ((Xt[rows] - f) @ t)
        loss = torch.nn.functional.softplus(-margins).mean() - lam / 2 * f @ f
        g_t, g_f = torch.autograd.grad(loss, (t, f))
        ours_t, ours_f = gradients(theta, phi, X[rows], Y[rows], lam)
        np.testing.assert_allclose(ours_t, g_t.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(ours_f, g_f.numpy(), rtol=1e-12, atol=1e-14)
        if rows == slice(None):
            assert objective(theta, phi, X, Y, lam) == pytest.approx(loss.item(), rel=1e-12)


def test_one_sgda_step_is_simultaneous():
    X, Y, theta, phi, _ = problem()
    i = 7
    g_t, g_f = gradients(theta, phi, X[i], Y[i], 30.0)  # both at the old point
    # with N = 1 an epoch is one step, at index 0
    t1, f1, log = sgda(X[i:i + 1], Y[i:i + 1], theta, phi, alpha=0.3, beta=1e-4, lam=30.0,
                       epochs=1, rng=np.random.RandomState(0))
    np.testing.assert_allclose(t1, theta - 0.3 * g_t)
    np.testing.assert_allclose(f1, phi + 1e-4 * g_f)
    assert len(log["objective"]) == 1


def test_sgda_decreases_the_objective_and_gradients():
    X, Y, theta, phi, rng = problem()
    _, _, log = sgda(X, Y, theta, phi, alpha=0.3, beta=1e-4, lam=30.0, epochs=300, rng=rng)
    assert 0 < log["objective"][-1] < 0.5 * log["objective"][50]
    assert log["grad_theta_norm"][-1] < log["grad_theta_norm"][50]
