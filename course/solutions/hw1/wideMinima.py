"""HW1 P4: gradient descent prefers wide minima.

    s(theta) = 1 / (1 + exp(-3 (theta - 3)))
    f(theta) = (1 - s(theta)) 10 theta^2 + s(theta) ((theta - 10)^2 / 2 + 50)

f has a sharp global minimum near 0 (curvature ~20: GD is stable there only if alpha < 0.1)
and a wide local minimum near 10 (curvature ~1: stable if alpha < 2). Run 1000 GD steps
theta <- theta - alpha f'(theta) from 20 starts theta0 ~ U[-5, 20] for alpha in
{0.01, 0.3, 4}, and classify where each run ends.

Implement ``gradient_descent`` and ``classify``. Self-check: ``mfdnn check hw1 wideMinima.py``.
"""

import matplotlib.pyplot as plt
import numpy as np

np.seterr(over="ignore", invalid="ignore")  # divergent runs overflow to inf / nan


def f(theta):
    s = 1 / (1 + np.exp(-3 * (theta - 3)))
    return (1 - s) * 10 * theta**2 + s * ((theta - 10) ** 2 / 2 + 50)


def f_prime(theta):
    s = 1 / (1 + np.exp(-3 * (theta - 3)))
    ds = 3 * s * (1 - s)
    return ds * ((theta - 10) ** 2 / 2 + 50 - 10 * theta**2) + (1 - s) * 20 * theta + s * (
        theta - 10)


def locate_minimum(low, high):
    """The minimiser of f on [low, high]: a fine grid search, then Newton steps on f'."""
    grid = np.linspace(low, high, 100001)
    theta = grid[np.argmin(f(grid))]
    for _ in range(50):
        h = 1e-5
        theta -= f_prime(theta) / ((f_prime(theta + h) - f_prime(theta - h)) / (2 * h))
    return float(theta)


SHARP_MIN = locate_minimum(-5, 3)  # near 0
WIDE_MIN = locate_minimum(3, 20)  # near 10


def gradient_descent(theta0, alpha, iterations=1000):
    """Run ``iterations`` GD steps theta <- theta - alpha f'(theta) from every entry of the
    array ``theta0`` at once; return the array of final iterates (inf / nan if diverged)."""
    # BEGIN SOLUTION: run the GD iteration theta <- theta - alpha * f_prime(theta)
    theta = np.array(theta0, dtype=float)
    for _ in range(iterations):
        theta = theta - alpha * f_prime(theta)
    return theta
    # END SOLUTION


def classify(theta):
    """For each final iterate: "diverged" if not finite, else "sharp" or "wide", whichever of
    SHARP_MIN and WIDE_MIN is nearer (ties go to "sharp"). Returns a list of strings."""
    # BEGIN SOLUTION: label each iterate "diverged", "sharp" or "wide"
    labels = []
    for t in np.asarray(theta, dtype=float):
        if not np.isfinite(t):
            labels.append("diverged")
        elif abs(t - SHARP_MIN) <= abs(t - WIDE_MIN):
            labels.append("sharp")
        else:
            labels.append("wide")
    return labels
    # END SOLUTION


if __name__ == "__main__":
    np.random.seed(0)  # the course's starter sets no seed; seed 0 makes the run repeatable
    grid = np.linspace(-5, 20, 100)
    plt.plot(grid, f(grid), "k-", label="f")
    for alpha, marker in ((0.01, "o"), (0.3, "x"), (4, "s")):
        theta0 = np.random.uniform(-5, 20, 20)
        limits = gradient_descent(theta0, alpha)
        labels = classify(limits)
        counts = {k: labels.count(k) for k in ("sharp", "wide", "diverged")}
        print(f"alpha = {alpha}: {counts}")
        finite = np.isfinite(limits)
        plt.plot(limits[finite], f(limits[finite]), marker, ms=9, mfc="none",
                 label=f"limits, alpha = {alpha}")
    plt.xlabel("theta")
    plt.legend()
    plt.savefig("wideMinima.png")
