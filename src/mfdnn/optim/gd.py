"""Gradient descent on a deterministic objective, and what its step size does.

    theta^{k+1} = theta^k - alpha grad f(theta^k)

* If grad f is L-Lipschitz and 0 < alpha < 2/L, f decreases monotonically and
  grad f(theta^k) -> 0 (Chapter 1). On a quadratic the bound is sharp: GD on theta^2/2
  (L = 1) diverges iff alpha > 2 (HW1 P2), and GD on (1/2)||X theta - Y||^2
  (L = lambda_max(X^T X)) diverges from almost every start iff alpha > 2/L (HW1 P3), since
  the error obeys e^{k+1} = (I - alpha X^T X) e^k.
* :func:`backtracking_descent` is the Chapter 1 demo's variant: each iteration tries a step
  ``initial_step`` and halves it until f decreases.
* :func:`observed_threshold` locates the divergence threshold of a GD run by bisection on
  alpha, without knowing L.

These work on NumPy arrays; ``grad`` maps theta to the gradient.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Gradient = Callable[[np.ndarray], np.ndarray]


def gradient_descent(grad: Gradient, theta0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    """The iterates theta^0, ..., theta^steps as rows (overflow to inf/nan is allowed)."""
    path = [np.array(theta0, dtype=float)]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            path.append(path[-1] - lr * grad(path[-1]))  # theta - alpha grad f(theta)
    return np.array(path)


def backtracking_descent(f: Callable[[np.ndarray], float], grad: Gradient,
                         theta0: np.ndarray, steps: int, initial_step: float = 1e-3,
                         max_halvings: int = 60) -> tuple[np.ndarray, list[float]]:
    """GD whose step starts at ``initial_step`` every iteration and is halved until
    f(theta - alpha grad f) < f(theta). Returns the iterates (rows) and the steps used."""
    path, used = [np.array(theta0, dtype=float)], []
    for _ in range(steps):
        theta, g = path[-1], grad(path[-1])
        alpha = initial_step
        for _ in range(max_halvings):
            if f(theta - alpha * g) < f(theta):
                break
            alpha /= 2
        else:
            alpha = 0.0  # no decrease found: a stationary point to machine precision
        path.append(theta - alpha * g)
        used.append(alpha)
    return np.array(path), used


def diverges(grad: Gradient, theta0: np.ndarray, theta_star: np.ndarray, lr: float,
             steps: int) -> bool:
    """Whether GD with step ``lr`` ends farther from ``theta_star`` than it started (or
    overflows). A step exactly at the threshold oscillates at constant distance: not
    divergent."""
    start = np.linalg.norm(theta0 - theta_star)
    theta = np.array(theta0, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            theta = theta - lr * grad(theta)
            if k % 100 == 0:  # stop early once the run has clearly blown up
                distance = np.linalg.norm(theta - theta_star)
                if not np.isfinite(distance) or distance > 1e12 * start:
                    return True
        distance = np.linalg.norm(theta - theta_star)
    return bool(not np.isfinite(distance) or distance > start)


def observed_threshold(grad: Gradient, theta0: np.ndarray, theta_star: np.ndarray,
                       lr_low: float, lr_high: float, steps: int, rtol: float = 1e-4) -> float:
    """Bisection for the step size where GD starts to diverge.

    Needs ``lr_low`` convergent and ``lr_high`` divergent. Near the threshold the error
    grows like |1 - alpha L|^k, so ``steps`` must be several times 1/rtol to tell the two
    sides apart."""
    if diverges(grad, theta0, theta_star, lr_low, steps):
        raise ValueError(f"GD already diverges at lr_low={lr_low}")
    if not diverges(grad, theta0, theta_star, lr_high, steps):
        raise ValueError(f"GD does not diverge at lr_high={lr_high}")
    while lr_high - lr_low > rtol * lr_high:
        middle = (lr_low + lr_high) / 2
        if diverges(grad, theta0, theta_star, middle, steps):
            lr_high = middle
        else:
            lr_low = middle
    return (lr_low + lr_high) / 2
