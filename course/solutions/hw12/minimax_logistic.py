"""HW12 P1: stochastic gradient descent-ascent for robust logistic regression.

    min_theta max_phi L(theta, phi) = (1/N) sum_i log(1 + exp(-Y_i (X_i - phi)^T theta))
                                      - (lambda / 2) ||phi||^2,       lambda = 30

Draws (legacy NumPy, seed 0): X = randn(30, 20), Y = 2 randint(2, size=30) - 1,
theta0 = 0.1 randn(20), phi0 = 0.1 randn(20). Each epoch runs N = 30 simultaneous steps
phi <- phi + beta g_phi, theta <- theta - alpha g_theta (both at the old point), with one
index i = randint(30) per step; alpha = 0.3, beta = 1e-4, 5000 epochs (the starter: 1000).

Implement ``objective_and_gradients`` and ``sgda``.
Self-check: ``mfdnn check hw12 minimax_logistic.py``.
"""

import matplotlib.pyplot as plt
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def objective_and_gradients(theta, phi, X, Y, lam):
    """Full-batch (L, grad_theta L, grad_phi L) at (theta, phi)."""
    # BEGIN SOLUTION: m_i = Y_i (X_i - phi)^T theta, s_i = sigma(-m_i); average the sample gradients
    D = X - phi
    m = Y * (D @ theta)
    s = sigmoid(-m)
    value = np.mean(np.logaddexp(0, -m)) - lam / 2 * phi @ phi
    g_theta = -np.mean((Y * s)[:, None] * D, axis=0)
    g_phi = np.mean(Y * s) * theta - lam * phi
    return value, g_theta, g_phi
    # END SOLUTION


def sgda(theta, phi, X, Y, alpha, beta, lam, epochs, rng):
    """Stochastic simultaneous gradient descent-ascent: per epoch len(X) steps, each with
    i = rng.randint(len(X)), g_theta = -Y_i s_i (X_i - phi), g_phi = Y_i s_i theta - lam phi
    (s_i = sigma(-Y_i (X_i - phi)^T theta)), then phi += beta g_phi and theta -= alpha g_theta.
    Returns (theta, phi)."""
    # BEGIN SOLUTION: simultaneous updates from the old (theta, phi)
    theta, phi = np.array(theta, dtype=float), np.array(phi, dtype=float)
    for _ in range(epochs * len(X)):
        i = rng.randint(len(X))
        s = sigmoid(-Y[i] * (X[i] - phi) @ theta)
        g_theta = -Y[i] * s * (X[i] - phi)
        g_phi = Y[i] * s * theta - lam * phi
        theta, phi = theta - alpha * g_theta, phi + beta * g_phi
    return theta, phi
    # END SOLUTION


if __name__ == "__main__":
    N, p, lam = 30, 20, 30.0
    rng = np.random.RandomState(0)
    X = rng.randn(N, p)
    Y = 2 * rng.randint(2, size=N) - 1
    theta = 0.1 * rng.randn(p)
    phi = 0.1 * rng.randn(p)
    history = []
    for _ in range(5000):
        theta, phi = sgda(theta, phi, X, Y, alpha=0.3, beta=1e-4, lam=lam, epochs=1, rng=rng)
        value, g_theta, g_phi = objective_and_gradients(theta, phi, X, Y, lam)
        history.append((value, np.linalg.norm(g_theta), np.linalg.norm(g_phi)))
    history = np.array(history)
    fig, axes = plt.subplots(3, 1, sharex=True)
    for ax, column, label in zip(axes, history.T, ("L", "|grad_theta L|", "|grad_phi L|"),
                                 strict=True):
        ax.semilogy(column)
        ax.set_ylabel(label)
    axes[-1].set_xlabel("epoch")
    plt.savefig("minimax_logistic.png")
    print(f"L = {history[-1, 0]:.6f}, |theta| = {np.linalg.norm(theta):.3f}, "
          f"|phi| = {np.linalg.norm(phi):.5f}")
