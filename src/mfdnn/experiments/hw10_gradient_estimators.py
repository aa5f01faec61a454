"""HW10 P6: log-derivative trick vs reparameterisation, on

    J(mu, sigma) = E_{X ~ N(mu, sigma^2)}[X sin X] + (1/2)(mu - 1)^2 + sigma - log sigma,

parametrised as sigma = e^tau. Each gradient estimate averages B = 16 samples
X = mu + e^tau eps, eps ~ N(0, 1) (phi(x) = x sin x, phi'(x) = sin x + x cos x):

  (a) log-derivative:  g_mu  = mean[phi(X) (X - mu) / e^{2 tau}] + (mu - 1)
                       g_tau = mean[phi(X) ((X - mu)^2 / e^{2 tau} - 1)] + (e^tau - 1)
  (b) reparameterised: g_mu  = mean[phi'(X)] + (mu - 1)
                       g_tau = mean[e^tau eps phi'(X)] + (e^tau - 1)

Plain SGD with lr 1e-2 for 200 iterations from mu = tau = 0, for each estimator (legacy NumPy,
seed 0, one stream: (a)'s draws first; the problem sets none). Reference: the same 200 steps
with the exact gradient (Gauss-Hermite quadrature), and the minimisers of J (quadrature plus
gradient descent). J has two local minima: SGD from the start heads for the one at
mu ~ 0.44, sigma ~ 0.61 (J ~ 1.696); the global one is at mu ~ 1.37, sigma ~ 1.96
(J ~ 1.664). The variance of each estimator at the start (mu = tau = 0) is measured over
``variance_repeats`` independent batches: (b) is lower. Both are unbiased: the mean of those
batches' estimates differs from the exact (quadrature) gradient by a few standard errors
sqrt(var / repeats) at most.

metrics.json:
  mu_log_derivative, sigma_log_derivative   final mu and sigma = e^tau, estimator (a)
  mu_reparam, sigma_reparam                 the same, estimator (b)
  grad_var_log_derivative, grad_var_reparam variance at the start of the batch-16 gradient
                                            estimate, summed over (mu, tau)
  grad_var_log_derivative_components, grad_var_reparam_components   [var g_mu, var g_tau]
  grad_z_log_derivative, grad_z_reparam     max over (mu, tau) of |mean estimate - exact
                                            gradient| / its standard error, at the start
  mu_exact_gradient, sigma_exact_gradient   200 steps with the exact gradient
  mu_local_minimum, sigma_local_minimum, objective_local_minimum   the minimiser reached by
                                            exact-gradient descent from the start
  mu_optimum, sigma_optimum, objective_optimum  the global minimiser of J and its value
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.montecarlo import log_derivative_gradient, reparameterization_gradient
from mfdnn.montecarlo.quadrature import gaussian_expectation
from mfdnn.optim.gd import gradient_descent
from mfdnn.plotting import plt


@dataclass
class Config:
    lr: float = 1e-2
    batch_size: int = 16
    iterations: int = 200
    variance_repeats: int = 20000
    optimum_steps: int = 20000


def phi(x: np.ndarray) -> np.ndarray:
    return x * np.sin(x)


def dphi(x: np.ndarray) -> np.ndarray:
    return np.sin(x) + x * np.cos(x)


def regulariser_gradient(mu: float, tau: float) -> np.ndarray:
    """d/d(mu, tau) of (1/2)(mu - 1)^2 + e^tau - tau."""
    return np.array([mu - 1, np.exp(tau) - 1])


def estimate_gradient(method: str, theta: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """The batch-mean gradient estimate of J at theta = (mu, tau) from the draws eps."""
    mu, tau = theta
    sigma = np.exp(tau)
    x = mu + sigma * eps
    if method == "log_derivative":
        g_mu, g_tau = log_derivative_gradient(phi(x), x, mu, sigma)
    else:
        g_mu, g_tau = reparameterization_gradient(dphi(x), eps, sigma)
    return np.array([g_mu.mean(), g_tau.mean()]) + regulariser_gradient(mu, tau)


def exact_gradient(theta: np.ndarray) -> np.ndarray:
    """grad J by quadrature: E[phi'(X)] and E[phi'(X) sigma Z], plus the regulariser's."""
    mu, tau = theta
    sigma = np.exp(tau)
    return np.array([gaussian_expectation(dphi, mu, sigma),
                     gaussian_expectation(lambda x: dphi(x) * (x - mu), mu, sigma)]
                    ) + regulariser_gradient(mu, tau)


def objective(theta: np.ndarray) -> float:
    mu, tau = theta
    return gaussian_expectation(phi, mu, np.exp(tau)) + 0.5 * (mu - 1) ** 2 + np.exp(tau) - tau


def global_minimiser(steps: int) -> np.ndarray:
    """The minimiser of J: the best point of a grid over mu in [-3, 4], tau in [-3, 2], then
    gradient descent with the exact (quadrature) gradient."""
    grid = [np.array([m, t]) for m in np.linspace(-3, 4, 71) for t in np.linspace(-3, 2, 51)]
    best = min(grid, key=objective)
    return gradient_descent(exact_gradient, best, 0.1, steps)[-1]


@experiment(
    "hw10-gradient-estimators",
    title="Log-derivative vs reparameterisation gradient estimators for SGD",
    group="HW10",
    config=Config,
    metrics=("mu_log_derivative", "sigma_log_derivative", "mu_reparam", "sigma_reparam",
             "grad_var_log_derivative", "grad_var_reparam", "grad_z_log_derivative",
             "grad_z_reparam", "objective_local_minimum", "objective_optimum"),
    quick=dict(variance_repeats=2000, optimum_steps=5000),
    quick_note="2,000 batches for the variances and 5,000 steps for the reference optimum",
    claims=(
        Claim("grad_var_reparam", "<", "grad_var_log_derivative",
              "HOMEWORK.md HW10 P6: (b) has much lower variance",
              profiles=("quick", "laptop", "full")),
        # both estimators are unbiased: their mean is within 3.5 standard errors of grad J
        Claim("grad_z_log_derivative", "<=", 3.5, "mathematics: unbiased estimator",
              profiles=("quick", "laptop", "full")),
        Claim("grad_z_reparam", "<=", 3.5, "mathematics: unbiased estimator",
              profiles=("quick", "laptop", "full")),
        Claim("objective_optimum", "<", "objective_local_minimum",
              "mathematics: J has a lower minimum than the one SGD reaches",
              profiles=("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    rng = ctx.numpy_rng()
    theta0 = np.zeros(2)
    paths, variances, z_scores = {}, {}, {}
    for method in ("log_derivative", "reparam"):
        theta, path = theta0.copy(), [theta0.copy()]
        for _ in range(cfg.iterations):
            theta = theta - cfg.lr * estimate_gradient(method, theta,
                                                       rng.randn(cfg.batch_size))
            path.append(theta.copy())
        paths[method] = np.array(path)
    for method in ("log_derivative", "reparam"):
        samples = np.array([estimate_gradient(method, theta0, rng.randn(cfg.batch_size))
                            for _ in range(cfg.variance_repeats)])
        variances[method] = samples.var(axis=0, ddof=1)
        standard_error = np.sqrt(variances[method] / cfg.variance_repeats)
        z_scores[method] = np.abs(samples.mean(axis=0) - exact_gradient(theta0)) / standard_error
    exact_path = gradient_descent(exact_gradient, theta0, cfg.lr, cfg.iterations)
    local = gradient_descent(exact_gradient, exact_path[-1], 0.1, cfg.optimum_steps)[-1]
    optimum = global_minimiser(cfg.optimum_steps)
    for method, path in paths.items():
        ctx.print(f"{method}: mu = {path[-1, 0]:.4f}, sigma = {np.exp(path[-1, 1]):.4f}, "
                  f"gradient variance at the start {variances[method].sum():.4f}")
    ctx.print(f"exact gradient: mu = {exact_path[-1, 0]:.4f}, "
              f"sigma = {np.exp(exact_path[-1, 1]):.4f}; local minimiser mu = {local[0]:.4f}, "
              f"sigma = {np.exp(local[1]):.4f}; global mu = {optimum[0]:.4f}, "
              f"sigma = {np.exp(optimum[1]):.4f}")

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), sharex=True, sharey=True)
    for ax, (method, path) in zip(axes, paths.items(), strict=True):
        ax.plot(*path.T, "b.-", ms=2, lw=0.8, label=f"SGD, {method.replace('_', '-')}")
        ax.plot(*exact_path.T, "k--", lw=1, label="exact gradient")
        ax.plot(*theta0, "go", ms=8, label="start")
        ax.plot(*local, "mX", ms=9, label="local minimiser reached from the start")
        ax.plot(*optimum, "r*", ms=12, label="global minimiser of J")
        ax.set_xlabel("mu")
        ax.set_ylabel("tau = log sigma")
        ax.set_title(f"{method.replace('_', '-')}: variance at start "
                     f"{variances[method].sum():.3g}")
        ax.legend(fontsize=8)
    ctx.savefig(fig, "trajectories")
    ld, rt = paths["log_derivative"][-1], paths["reparam"][-1]
    return {
        "mu_log_derivative": float(ld[0]),
        "sigma_log_derivative": float(np.exp(ld[1])),
        "mu_reparam": float(rt[0]),
        "sigma_reparam": float(np.exp(rt[1])),
        "grad_var_log_derivative": float(variances["log_derivative"].sum()),
        "grad_var_reparam": float(variances["reparam"].sum()),
        "grad_var_log_derivative_components": variances["log_derivative"].tolist(),
        "grad_var_reparam_components": variances["reparam"].tolist(),
        "grad_z_log_derivative": float(z_scores["log_derivative"].max()),
        "grad_z_reparam": float(z_scores["reparam"].max()),
        "mu_exact_gradient": float(exact_path[-1, 0]),
        "sigma_exact_gradient": float(np.exp(exact_path[-1, 1])),
        "mu_local_minimum": float(local[0]),
        "sigma_local_minimum": float(np.exp(local[1])),
        "objective_local_minimum": objective(local),
        "mu_optimum": float(optimum[0]),
        "sigma_optimum": float(np.exp(optimum[1])),
        "objective_optimum": objective(optimum),
    }
