"""HW2 P7: a 2-layer sigmoid network fitted by single-sample SGD, in NumPy.

Fit f*(x) = (x - 2) cos(4x) with f_theta(x) = sum_{j=1}^{50} u_j sigma(a_j x + b_j), where
theta = (a, b, u) is one array of length 150 (a first, then b, then u), on the loss
(f_theta(X_i) - Y_i)^2 / 2. Draws (legacy NumPy, seed 0): a ~ N(0, 4^2), b ~ N(0, 4^2),
u ~ N(0, 0.05^2) (50 each), then X ~ N(0, 1) (30 values). K = 10,000 steps, alpha = 0.007.

Implement ``diff_f_th`` and ``sgd``. Self-check: ``mfdnn check hw2 twolayerSGD.py``.
"""

import matplotlib.pyplot as plt
import numpy as np

p = 50


def f_true(x):
    return (x - 2) * np.cos(4 * x)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def f_th(theta, x):
    """f_theta at every entry of the array x."""
    a, b, u = theta[:p], theta[p:2 * p], theta[2 * p:]
    return sigmoid(np.outer(x, a) + b) @ u


def diff_f_th(theta, x):
    """The gradient of f_theta(x) with respect to theta = (a, b, u) at a scalar x: an array
    of length 150 holding (df/da, df/db, df/du)."""
    # BEGIN SOLUTION: with z = a x + b: df/da = u sigma'(z) x, df/db = u sigma'(z), df/du = sigma(z)
    a, b, u = theta[:p], theta[p:2 * p], theta[2 * p:]
    z = a * x + b
    return np.concatenate([u * sigmoid_prime(z) * x, u * sigmoid_prime(z), sigmoid(z)])
    # END SOLUTION


def sgd(theta, X, Y, alpha, K, rng):
    """K single-sample SGD steps on (f_theta(X_i) - Y_i)^2 / 2: each step draws
    i = rng.randint(len(X)) and sets theta <- theta - alpha (f_theta(X_i) - Y_i) grad f_theta(X_i).
    Returns the new theta (the argument is not modified)."""
    # BEGIN SOLUTION: the SGD loop, one index i = rng.randint(len(X)) per step
    theta = np.array(theta, dtype=float)
    for _ in range(K):
        i = rng.randint(len(X))
        residual = f_th(theta, np.array([X[i]]))[0] - Y[i]
        theta = theta - alpha * residual * diff_f_th(theta, X[i])
    return theta
    # END SOLUTION


if __name__ == "__main__":
    rng = np.random.RandomState(0)
    a0 = rng.normal(0, 4, p)
    b0 = rng.normal(0, 4, p)
    u0 = rng.normal(0, 0.05, p)
    X = rng.randn(30)
    Y = f_true(X)
    theta = np.concatenate([a0, b0, u0])

    grid = np.linspace(-2, 2, 1024)
    plt.plot(X, Y, "rx", label="data")
    plt.plot(grid, f_true(grid), "k-", label="f*")
    for k in range(2000, 10001, 2000):
        theta = sgd(theta, X, Y, alpha=0.007, K=2000, rng=rng)
        plt.plot(grid, f_th(theta, grid), label=f"{k} iterations")
    plt.legend()
    plt.savefig("twolayerSGD.png")
