"""Shallow models and losses of Chapter 2 and HW2-HW4.

NumPy (Chapter 1 and the HW2 programs), for theta in R^p, data X (N x p), labels Y in {-1, +1} and
margins m_i = Y_i X_i^T theta:

    least squares   (1/2)||X theta - Y||^2                    gradient  X^T (X theta - Y)
    logistic loss   (1/N) sum_i log(1 + exp(-m_i))        sample gradient  -Y_i X_i sigma(-m_i)
    hinge (SVM)     (1/N) sum_i max(0, 1 - m_i) + lam ||theta||^2
                    subgradient  -Y_i X_i [1 - m_i > 0] + 2 lam theta
    kernel features phi(u, v) = (1, u, u^2, v, v^2)        (HW2 P3: circles become separable)
    two-layer net   f_theta(x) = sum_j u_j sigma(a_j x + b_j), theta = (a, b, u)   (HW2 P6/P7)
                    df/du_j = sigma(a_j x + b_j), df/db_j = u_j sigma'(.), df/da_j = u_j sigma'(.) x

PyTorch (Chapter 2, HW3, HW4), for a score z = f(x) and y in {-1, +1}:

    logistic (CE)   -log sigma(y z)                                   (:func:`logistic_loss_torch`)
    squared distance between one-hot(y) and f = (sigma(-z), sigma(z))  (HW4 P5,
                    :func:`probability_squared_loss`)
    softmax regression  mu(A x + b), A in R^{k x n}, trained by cross-entropy
    three-layer net (HW3)  1 -> 64 -> 64 -> 1 with sigmoids, weights N(0, 1), biases 0.03
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn


# -- NumPy: Chapter 1 and HW2 ----------------------------------------------------------------
def least_squares_gradient(theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """X^T (X theta - Y): the gradient of (1/2)||X theta - Y||^2, i.e. the *sum* of the sample
    gradients (X_i^T theta - Y_i) X_i over the rows given (one row: a 1-D X and scalar Y)."""
    residual = X @ theta - Y
    return residual @ X if X.ndim == 2 else residual * X


def least_squares_loss(theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> float:
    """||X theta - Y||^2, the quantity the Chapter 1 plots show."""
    r = X @ theta - Y
    return float(r @ r)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)), without overflow for large |z|."""
    return np.exp(-np.logaddexp(0, -z))


def logistic_loss(theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> float:
    """(1/N) sum log(1 + exp(-Y_i X_i^T theta)), computed as logaddexp(0, -m)."""
    return float(np.mean(np.logaddexp(0, -Y * (X @ theta))))


def logistic_gradient(theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Mean of the sample gradients -Y_i X_i sigma(-m_i) over the rows of X."""
    m = Y * (X @ theta)
    return -(Y * sigmoid(-m)) @ X / len(Y)


def hinge_loss(theta: np.ndarray, X: np.ndarray, Y: np.ndarray, lam: float) -> float:
    """(1/N) sum max(0, 1 - Y_i X_i^T theta) + lam ||theta||^2."""
    return float(np.mean(np.maximum(0, 1 - Y * (X @ theta))) + lam * theta @ theta)


def hinge_subgradient(theta: np.ndarray, X: np.ndarray, Y: np.ndarray, lam: float
                      ) -> tuple[np.ndarray, int]:
    """Mean of the sample subgradients -Y_i X_i [1 - m_i > 0] + 2 lam theta, and how many of
    the sampled terms sat exactly on the kink 1 - m_i = 0 (where 0 is used)."""
    slack = 1 - Y * (X @ theta)
    active = slack > 0
    grad = -(Y * active) @ X / len(Y) + 2 * lam * theta
    return grad, int(np.count_nonzero(slack == 0))


def sign_accuracy(theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> float:
    """Fraction of points with sign(X_i^T theta) = Y_i."""
    return float(np.mean(np.sign(X @ theta) == Y))


def quadratic_features(X: np.ndarray) -> np.ndarray:
    """phi(u, v) = (1, u, u^2, v, v^2) for the rows (u, v) of X (N x 2) -> N x 5."""
    u, v = X[:, 0], X[:, 1]
    return np.stack([np.ones_like(u), u, u**2, v, v**2], axis=1)


def quadratic_boundary(w: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The curve w0 + w1 u + w2 u^2 + w3 v + w4 v^2 = 0 solved for v: both roots (NaN where
    the discriminant is negative; the linear root if w4 = 0)."""
    a, b, c = w[4], w[3], w[0] + w[1] * u + w[2] * u**2
    if a == 0:
        root = -c / b
        return root, root
    disc = b**2 - 4 * a * c
    sq = np.sqrt(np.where(disc >= 0, disc, np.nan))
    return (-b + sq) / (2 * a), (-b - sq) / (2 * a)


def two_layer_f(theta: np.ndarray, x: np.ndarray | float) -> np.ndarray:
    """f_theta(x) = sum_j u_j sigma(a_j x + b_j) for theta = (a, b, u) (3 x width values),
    at every point of x."""
    a, b, u = np.split(theta, 3)
    return sigmoid(np.multiply.outer(x, a) + b) @ u


def two_layer_gradient(theta: np.ndarray, x: float) -> np.ndarray:
    """grad_theta f_theta(x) at one point x, ordered like theta = (a, b, u) (HW2 P6)."""
    a, b, u = np.split(theta, 3)
    s = sigmoid(a * x + b)
    ds = s * (1 - s)  # sigma' = sigma (1 - sigma)
    return np.concatenate([u * ds * x, u * ds, s])


# -- PyTorch: Chapter 2, HW3, HW4 -------------------------------------------------------------
def logistic_loss_torch(z: Tensor, y: Tensor) -> Tensor:
    """mean of -log sigma(y z) = log(1 + exp(-y z)), the logistic (cross-entropy) loss."""
    return -F.logsigmoid(y * z).mean()


def probability_squared_loss(z: Tensor, y: Tensor) -> Tensor:
    """HW4 P5 (b): squared distance between one-hot(y) and f = (sigma(-z), sigma(z)), halved:
    (1/2)(1 - y)[(1 - sigma(-z))^2 + sigma(z)^2] + (1/2)(1 + y)[sigma(-z)^2 + (1 - sigma(z))^2],
    averaged over the batch (each bracket is ||onehot - f||^2 for its class)."""
    p_neg, p_pos = torch.sigmoid(-z), torch.sigmoid(z)
    neg = (1 - p_neg) ** 2 + p_pos**2  # target (1, 0): y = -1
    pos = p_neg**2 + (1 - p_pos) ** 2  # target (0, 1): y = +1
    return (0.5 * (1 - y) * neg + 0.5 * (1 + y) * pos).mean()


class LinearScore(nn.Module):
    """Logistic regression's score z = a^T x (+ b) on flattened images: ``Linear(n, 1)``."""

    def __init__(self, in_features: int = 784, bias: bool = False) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, 1, bias=bias)

    def forward(self, x: Tensor) -> Tensor:
        return self.linear(x.flatten(1)).squeeze(1)


class SoftmaxRegression(nn.Module):
    """Logits A x + b of softmax regression on flattened images (k (n + 1) parameters)."""

    def __init__(self, in_features: int = 784, classes: int = 10) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, classes)

    def forward(self, x: Tensor) -> Tensor:
        return self.linear(x.flatten(1))


def three_layer_net(width: int = 64) -> nn.Sequential:
    """HW3's MLP 1 -> width -> width -> 1 with sigmoids, PyTorch's default init (which consumes
    the generator: weight, then bias, layer by layer). Apply :func:`course_init_` after."""
    return nn.Sequential(nn.Linear(1, width), nn.Sigmoid(), nn.Linear(width, width),
                         nn.Sigmoid(), nn.Linear(width, 1))


@torch.no_grad()
def course_init_(model: nn.Module, bias: float = 0.03,
                 generator: torch.Generator | None = None) -> nn.Module:
    """HW3's initialisation: every Linear weight i.i.d. N(0, 1), drawn in layer order, and
    every bias set to ``bias`` (no draw). PyTorch's default init trains poorly here."""
    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            layer.weight.normal_(0.0, 1.0, generator=generator)
            if layer.bias is not None:
                layer.bias.fill_(bias)
    return model


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def mlp_parameter_count(widths: list[int] | tuple[int, ...]) -> int:
    """sum_l n_l (n_{l-1} + 1): weights and biases of an MLP with these layer widths."""
    return sum(n_out * (n_in + 1) for n_in, n_out in zip(widths[:-1], widths[1:], strict=True))
