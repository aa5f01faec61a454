"""HW6 P5: optimal regularisation removes double descent (random ReLU features + ridge).

Data (legacy NumPy, seed 0, in this order): beta = randn(35) normalised to norm 1; 300 rows
X_train drawn one by one with multivariate_normal(0, I_35); Y_train = X_train beta +
normal(0, 0.5, 300); 60 rows X_val, Y_val = X_val beta (noise-free); 30 rows X_test,
Y_test = X_test beta. For p = 1, 11, ..., 1491: W = normal(0, 1/sqrt(p), (p, 35)), features
ReLU(X W^T), ridge with lambda = 0.01 and with lambda tuned over 2^-6, ..., 2^5 on the
validation set; the error is the Euclidean norm of the residual vector.

Implement ``relu_features``, ``ridge`` and ``tuned_test_error``.
Self-check: ``mfdnn check hw6 ddescent.py``.
"""

import matplotlib.pyplot as plt
import numpy as np

d = 35
LAMBDAS = 2.0 ** np.arange(-6, 6)


def make_data(rng):
    beta = rng.randn(d)
    beta = beta / np.linalg.norm(beta)
    X_train = np.array([rng.multivariate_normal(np.zeros(d), np.eye(d)) for _ in range(300)])
    Y_train = X_train @ beta + rng.normal(0, 0.5, 300)
    X_val = np.array([rng.multivariate_normal(np.zeros(d), np.eye(d)) for _ in range(60)])
    Y_val = X_val @ beta
    X_test = np.array([rng.multivariate_normal(np.zeros(d), np.eye(d)) for _ in range(30)])
    Y_test = X_test @ beta
    return X_train, Y_train, X_val, Y_val, X_test, Y_test


def relu_features(X, W):
    """ReLU(X W^T): one row of p features per row of X."""
    # BEGIN SOLUTION: max(X W^T, 0)
    return np.maximum(X @ W.T, 0)
    # END SOLUTION


def ridge(F, Y, lam):
    """theta = (F^T F + lam I)^{-1} F^T Y, computed with np.linalg.solve (no inverse)."""
    # BEGIN SOLUTION: solve the regularised normal equations
    return np.linalg.solve(F.T @ F + lam * np.eye(F.shape[1]), F.T @ Y)
    # END SOLUTION


def tuned_test_error(F_train, Y_train, F_val, Y_val, F_test, Y_test, lambdas):
    """Fit ``ridge`` for every lambda in ``lambdas``, pick the one with the smallest validation
    error ||F_val theta - Y_val|| (the first if tied), and return (that lambda, its test error
    ||F_test theta - Y_test||)."""
    # BEGIN SOLUTION: choose lambda on the validation set, report its test error
    best = None
    for lam in lambdas:
        theta = ridge(F_train, Y_train, lam)
        val = np.linalg.norm(F_val @ theta - Y_val)
        if best is None or val < best[0]:
            best = (val, lam, np.linalg.norm(F_test @ theta - Y_test))
    return best[1], best[2]
    # END SOLUTION


if __name__ == "__main__":
    rng = np.random.RandomState(0)
    X_train, Y_train, X_val, Y_val, X_test, Y_test = make_data(rng)
    ps = np.arange(1, 1501, 10)
    fixed, tuned = [], []
    for p in ps:
        W = rng.normal(0, 1 / np.sqrt(p), (p, d))
        F_train, F_val, F_test = (relu_features(X, W) for X in (X_train, X_val, X_test))
        theta = ridge(F_train, Y_train, 0.01)
        fixed.append(np.linalg.norm(F_test @ theta - Y_test))
        tuned.append(tuned_test_error(F_train, Y_train, F_val, Y_val, F_test, Y_test,
                                      LAMBDAS)[1])
    plt.scatter(ps, fixed, color="black", s=8, label=r"$\lambda = 0.01$")
    plt.plot(ps, tuned, "r-", label=r"tuned $\lambda$")
    plt.xlabel("number of parameters p")
    plt.ylabel("test error")
    plt.legend()
    plt.savefig("double_descent.png")
    print(f"peak of the lambda = 0.01 curve at p = {ps[int(np.argmax(fixed))]}")
