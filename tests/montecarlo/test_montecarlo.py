"""Monte Carlo (Appendix A, HW10 P5/P6): standard errors and the 1/sqrt(N) law, importance
sampling, the log-derivative and reparameterisation estimators, the gambler's-ruin simulator
against exact probabilities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mfdnn.montecarlo import (
    gaussian_log_ratio,
    importance_estimate,
    log_derivative_gradient,
    mc_estimate,
    reparameterization_gradient,
)
from mfdnn.montecarlo.gamblers_ruin import exact_probability, simulate
from mfdnn.montecarlo.quadrature import gaussian_expectation

pytestmark = pytest.mark.hw10


def test_standard_error_formula():
    est = mc_estimate(np.array([1.0, 2.0, 3.0, 6.0]))
    assert est.value == 3.0 and est.n == 4
    assert est.std_error == pytest.approx(np.std([1, 2, 3, 6], ddof=1) / 2)


def test_error_shrinks_like_one_over_sqrt_n():
    """RMSE of the mean of N uniforms over 400 repetitions: slope -1/2 on a log-log scale, and
    the reported standard error tracks the true one, sqrt(1/12 / N)."""
    rng = np.random.RandomState(0)
    ns = 4 ** np.arange(1, 7)
    rmse, reported = [], []
    for n in ns:
        estimates = [mc_estimate(rng.rand(n)) for _ in range(400)]
        rmse.append(np.sqrt(np.mean([(e.value - 0.5) ** 2 for e in estimates])))
        reported.append(np.mean([e.std_error for e in estimates]))
    slope = np.polyfit(np.log(ns), np.log(rmse), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.05)
    np.testing.assert_allclose(reported, np.sqrt(1 / 12 / ns), rtol=0.1)
    np.testing.assert_allclose(rmse, np.sqrt(1 / 12 / ns), rtol=0.15)


def test_gaussian_log_ratio_is_the_log_density_ratio():
    x = np.linspace(-3, 6, 13)

    def logpdf(x, m):
        return -((x - m) ** 2) / 2 - 0.5 * math.log(2 * math.pi)

    np.testing.assert_allclose(gaussian_log_ratio(x, 0.0, 3.0), logpdf(x, 0) - logpdf(x, 3),
                               rtol=1e-12, atol=1e-12)


def test_importance_sampling_is_unbiased_and_beats_plain_mc_on_a_tail():
    """P(X > 3), X ~ N(0, 1): with proposal N(3, 1) the estimates of 50 seeds average to the
    truth within 3 standard errors of that average, and each has a far smaller error than plain
    Monte Carlo's sqrt(p(1-p)/N)."""
    truth = 0.5 * math.erfc(3 / math.sqrt(2))
    n = 1024
    estimates = []
    for seed in range(50):
        y = np.random.RandomState(seed).randn(n) + 3
        estimates.append(importance_estimate(y > 3, gaussian_log_ratio(y, 0.0, 3.0)))
    values = np.array([e.value for e in estimates])
    assert abs(values.mean() - truth) < 3 * values.std(ddof=1) / math.sqrt(len(values))
    plain_se = math.sqrt(truth * (1 - truth) / n)
    assert max(e.std_error for e in estimates) < plain_se / 5


def test_quadrature_matches_the_closed_form():
    """E[X sin X] for X ~ N(mu, s^2) = exp(-s^2/2)(mu sin mu + s^2 cos mu)."""
    for mu, s in [(0.0, 1.0), (1.3, 0.4), (-2.0, 2.5)]:
        closed = math.exp(-s * s / 2) * (mu * math.sin(mu) + s * s * math.cos(mu))
        assert gaussian_expectation(lambda x: x * np.sin(x), mu, s) == pytest.approx(
            closed, abs=1e-12)


def test_log_derivative_and_reparameterisation_agree_in_mean_and_rt_has_less_variance():
    """Both are unbiased for grad E phi(X), X ~ N(mu, sigma^2), phi(x) = x sin x, at (mu, tau) =
    (0.3, log 0.8); checked against quadrature, 200,000 samples each."""
    mu, sigma = 0.3, 0.8
    eps = np.random.RandomState(0).randn(200_000)
    x = mu + sigma * eps
    ld = log_derivative_gradient(x * np.sin(x), x, mu, sigma)
    rt = reparameterization_gradient(np.sin(x) + x * np.cos(x), eps, sigma)
    dphi = lambda y: np.sin(y) + y * np.cos(y)  # noqa: E731
    exact = (gaussian_expectation(dphi, mu, sigma),
             gaussian_expectation(lambda y: dphi(y) * (y - mu), mu, sigma))
    for estimator in (ld, rt):
        for k in range(2):
            se = estimator[k].std() / math.sqrt(len(eps))
            assert abs(estimator[k].mean() - exact[k]) < 4 * se
    assert rt[0].var() < ld[0].var() and rt[1].var() < ld[1].var()


def test_log_derivative_vector_case_shapes():
    x = np.random.RandomState(0).randn(16, 2)
    g_mu, g_tau = log_derivative_gradient((x**2).sum(1), x, np.zeros(2), 1.0)
    assert g_mu.shape == (16, 2) and g_tau.shape == (16, 2)
    np.testing.assert_allclose(g_mu, (x**2).sum(1, keepdims=True) * x)




def test_exact_probability_against_recursion_and_the_classic_formula():
    """The dynamic programme equals the first-step recursion, and without a binding time limit
    the classic gambler's-ruin probability."""
    def paths(p, wealth, target, games):
        if wealth in (0, target) or games == 0:
            return float(wealth == target)
        return p * paths(p, wealth + 1, target, games - 1) + (1 - p) * paths(
            p, wealth - 1, target, games - 1)

    for p, start, target, games in [(0.4, 3, 6, 9), (18 / 37, 2, 5, 12), (0.5, 4, 8, 10)]:
        assert exact_probability(p, start, target, games) == pytest.approx(
            paths(p, start, target, games), rel=1e-12)
    # without a binding time limit: the classic ((q/p)^s - 1) / ((q/p)^t - 1)
    p, r = 0.45, 0.55 / 0.45
    assert exact_probability(p, 5, 10, 5000) == pytest.approx((r**5 - 1) / (r**10 - 1), rel=1e-9)


def test_simulation_under_the_true_p_has_unit_weights_and_matches_the_exact_probability():
    rng = np.random.RandomState(0)
    runs = simulate(rng, 20000, 0.45, 0.45, start=5, target=10, max_games=40)
    np.testing.assert_allclose(runs.log_weight, 0.0, atol=1e-12)
    assert np.all(runs.games <= 40) and np.all(runs.games >= 5)
    est = mc_estimate(runs.reached)
    assert abs(est.value - exact_probability(0.45, 5, 10, 40)) < 4 * est.std_error


def test_importance_sampling_for_the_gamblers_ruin_is_unbiased():
    exact = exact_probability(0.4, 10, 20, 60)
    rng = np.random.RandomState(1)
    runs = simulate(rng, 20000, 0.4, 0.6, start=10, target=20, max_games=60)
    for log_weight in (runs.log_weight, runs.log_weight_all_games):
        est = importance_estimate(runs.reached, log_weight)
        assert abs(est.value - exact) < 4 * est.std_error
