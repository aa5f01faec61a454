"""SGD variants on finite sums (Chapter 1, HW1 P1-P3): the samplers' draws, unbiasedness of
minibatch gradients with and without replacement, and the GD divergence thresholds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from mfdnn.data.synthetic.least_squares import least_squares_solution, least_squares_testbed
from mfdnn.models.shallow import least_squares_gradient
from mfdnn.optim import finite_sum as fs
from mfdnn.optim.gd import backtracking_descent, diverges, gradient_descent, observed_threshold

pytestmark = pytest.mark.hw1


@pytest.fixture(scope="module")
def testbed():
    return least_squares_testbed(np.random.RandomState(0))


def test_testbed_spectrum(testbed):
    X, Y = testbed
    assert X.shape == (300, 30) and Y.shape == (300,)
    singular = np.linalg.svd(X, compute_uv=False)
    assert singular[0] == pytest.approx(5.0, rel=1e-12)
    assert 0.2 <= singular[1:].min() and singular[1:].max() <= 1.2


def test_least_squares_gradients_match_autograd(testbed):
    """HW1 P1: grad of (1/2)(X_i^T theta - Y_i)^2 and of (1/2)||X theta - Y||^2."""
    X, Y = testbed
    theta = np.random.RandomState(1).randn(30)
    t = torch.tensor(theta, requires_grad=True)
    (0.5 * ((torch.tensor(X) @ t - torch.tensor(Y)) ** 2).sum()).backward()
    np.testing.assert_allclose(least_squares_gradient(theta, X, Y), t.grad.numpy(), rtol=1e-12,
                               atol=1e-12)
    t.grad = None
    (0.5 * (torch.tensor(X[7]) @ t - Y[7]) ** 2).backward()
    np.testing.assert_allclose(least_squares_gradient(theta, X[7], Y[7]), t.grad.numpy(),
                               rtol=1e-12, atol=1e-12)


def test_samplers_make_the_legacy_numpy_draws():
    a, b = np.random.RandomState(3), np.random.RandomState(3)
    assert [next(fs.single_sample(a, 30)) for _ in range(5)] == [b.randint(30) for _ in range(5)]
    a, b = np.random.RandomState(3), np.random.RandomState(3)
    ours = list(itertools.islice(fs.with_replacement(a, 30, 15), 3))
    assert all(np.array_equal(o, b.randint(30, size=15)) for o in ours)
    a, b = np.random.RandomState(3), np.random.RandomState(3)
    ours = list(itertools.islice(fs.without_replacement(a, 30, 10), 3))
    assert all(np.array_equal(o, b.permutation(30)[:10]) for o in ours)
    # B calls of randint(N) are the same stream as one randint(N, size=B)
    a, b = np.random.RandomState(3), np.random.RandomState(3)
    assert np.array_equal(a.randint(30, size=15), [b.randint(30) for _ in range(15)])


def test_cyclic_and_reshuffling_visit_every_index_once_per_epoch():
    cyc = list(itertools.islice(fs.cyclic(10, 3), 8))
    assert [c.tolist() for c in cyc[:4]] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert cyc[4].tolist() == [0, 1, 2]
    rr = list(itertools.islice(fs.random_reshuffling(np.random.RandomState(0), 10, 3), 8))
    epochs = [np.concatenate(rr[:4]), np.concatenate(rr[4:8])]
    for epoch in epochs:
        assert sorted(epoch.tolist()) == list(range(10))
    assert not np.array_equal(epochs[0], epochs[1])


@pytest.mark.parametrize("make", [
    lambda rng: fs.with_replacement(rng, 300, 10),
    lambda rng: fs.without_replacement(rng, 300, 10),
    lambda rng: fs.single_sample(rng, 300),
], ids=["with_replacement", "without_replacement", "single_sample"])
def test_minibatch_gradients_are_unbiased(testbed, make):
    """E[(1/B) sum_b grad f_{i(b)}(theta)] = (1/N) grad of (1/2)||X theta - Y||^2: the mean of
    20,000 minibatch gradients lies within 5 standard errors of the full gradient in every
    coordinate (fixed seed)."""
    X, Y = testbed
    theta = np.random.RandomState(2).randn(30)
    full = least_squares_gradient(theta, X, Y) / len(Y)
    sampler = make(np.random.RandomState(0))
    draws = np.array([least_squares_gradient(theta, X[idx], Y[idx]) / np.size(idx)
                      for idx in itertools.islice(sampler, 20000)])
    error = draws.mean(axis=0) - full
    std_error = draws.std(axis=0, ddof=1) / np.sqrt(len(draws))
    assert np.all(np.abs(error) < 5 * std_error)
    assert np.abs(error).max() > 0  # a stochastic estimate, not the full gradient itself


def test_cyclic_gradient_is_biased_per_step_but_exact_per_epoch(testbed):
    X, Y = testbed
    theta = np.zeros(30)
    full = least_squares_gradient(theta, X, Y)
    steps = [least_squares_gradient(theta, X[idx], Y[idx])
             for idx in itertools.islice(fs.cyclic(300, 10), 30)]
    np.testing.assert_allclose(np.sum(steps, axis=0), full, rtol=1e-10, atol=1e-10)
    assert np.abs(steps[0] * 30 - full).max() > 1.0


def test_run_sgd_records_and_steps(testbed):
    X, Y = testbed
    theta, record = fs.run_sgd(lambda t, idx: least_squares_gradient(t, X, Y) / 300,
                               np.zeros(30), 10.0, fs.full_batch(300), 10, np.copy, every=5)
    assert len(record) == 3 and np.array_equal(record[-1], theta)
    path = gradient_descent(lambda t: least_squares_gradient(t, X, Y) / 300, np.zeros(30), 10.0,
                            10)
    np.testing.assert_allclose(path[-1], theta, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("alpha,expected", [(1.9, False), (2.0, False), (2.1, True)])
def test_quadratic_diverges_iff_alpha_above_two(alpha, expected):
    """HW1 P2: theta^{k+1} = (1 - alpha) theta^k; alpha = 2 oscillates."""
    assert diverges(lambda t: t, np.array([1.0]), np.zeros(1), alpha, 500) is expected
    path = gradient_descent(lambda t: t, np.array([1.0]), alpha, 3)
    np.testing.assert_allclose(path[:, 0], (1 - alpha) ** np.arange(4), rtol=1e-14)


def test_least_squares_threshold_is_two_over_lambda_max(testbed):
    """HW1 P3: GD on (1/2)||X theta - Y||^2 diverges iff alpha > 2 / lambda_max(X^T X)."""
    X, Y = testbed
    XtX, XtY = X.T @ X, X.T @ Y
    theory = 2 / np.linalg.eigvalsh(XtX)[-1]
    observed = observed_threshold(lambda t: XtX @ t - XtY, np.zeros(30),
                                  least_squares_solution(X, Y), 0.5 * theory, 1.5 * theory,
                                  steps=4000, rtol=1e-2)
    assert observed == pytest.approx(theory, rel=1e-2)


def test_backtracking_decreases_the_objective_every_step():
    def f(t):
        return float((1 - t[0]) ** 2 + 5 * (t[1] - t[0] ** 2) ** 2)

    def grad(t):
        return np.array([-2 * (1 - t[0]) - 20 * t[0] * (t[1] - t[0] ** 2),
                         10 * (t[1] - t[0] ** 2)])

    path, steps = backtracking_descent(f, grad, np.array([-1.0, -0.5]), 50, initial_step=1.0)
    values = [f(t) for t in path]
    assert all(b < a for a, b in zip(values, values[1:], strict=False))
    assert max(steps) < 1.0  # the first trial step 1 is too long from this start
