"""Shallow models and losses (Chapter 2, HW2-HW4): hand-written gradients against autograd,
the kernel features, the HW3 network's size and initialisation, the HW4 P5 loss."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from mfdnn.data.synthetic.classification import circle, random_labels
from mfdnn.models import shallow

pytestmark = [pytest.mark.hw2, pytest.mark.hw3]


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X, Y = random_labels(rng)
    return X, Y, rng.randn(20)


def test_random_labels_layouts_share_the_stream():
    X_text, Y_text = random_labels(np.random.RandomState(0))
    X_off, Y_off = random_labels(np.random.RandomState(0), layout="official")
    assert X_text.shape == X_off.shape == (30, 20)
    assert np.array_equal(Y_text, Y_off) and set(Y_text) == {-1, 1}
    assert np.array_equal(X_off, np.random.RandomState(0).randn(20, 30).T)
    assert not np.array_equal(X_text, X_off)


def test_random_labels_are_linearly_separable(data):
    """p = 20 features for N = 30 random labels: the perceptron finds a separating theta."""
    X, Y, _ = data
    theta = np.zeros(20)
    for _ in range(10_000):
        wrong = np.nonzero(Y * (X @ theta) <= 0)[0]
        if wrong.size == 0:
            break
        theta += Y[wrong[0]] * X[wrong[0]]
    assert np.all(Y * (X @ theta) > 0)


def _autograd(loss, theta, X, Y):
    t = torch.tensor(theta, requires_grad=True)
    loss(t, torch.tensor(X), torch.tensor(Y, dtype=torch.float64)).backward()
    return t.grad.numpy()


def test_logistic_loss_and_gradient_match_autograd(data):
    X, Y, theta = data
    ref = _autograd(lambda t, X, Y: F.softplus(-Y * (X @ t)).mean(), theta, X, Y)
    np.testing.assert_allclose(shallow.logistic_gradient(theta, X, Y), ref, rtol=1e-12,
                               atol=1e-14)
    m = Y * (X @ theta)
    assert shallow.logistic_loss(theta, X, Y) == pytest.approx(np.mean(np.log1p(np.exp(-m))))
    assert shallow.logistic_loss(np.full(20, 1e3), X[:1], np.array([1.0])) >= 0  # no overflow


def test_hinge_subgradient_matches_autograd_off_the_kinks(data):
    X, Y, theta = data
    ref = _autograd(lambda t, X, Y: torch.relu(1 - Y * (X @ t)).mean() + 0.1 * (t @ t), theta, X,
                    Y)
    grad, ties = shallow.hinge_subgradient(theta, X, Y, 0.1)
    np.testing.assert_allclose(grad, ref, rtol=1e-12, atol=1e-14)
    assert ties == 0
    assert shallow.hinge_loss(theta, X, Y, 0.1) == pytest.approx(
        np.mean(np.maximum(0, 1 - Y * (X @ theta))) + 0.1 * theta @ theta)


def test_hinge_counts_exact_kinks():
    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    Y = np.array([1.0, -1.0])
    theta = np.array([1.0, 0.25])  # margins 1 and -0.5: the first term sits on the kink
    grad, ties = shallow.hinge_subgradient(theta, X, Y, 0.0)
    assert ties == 1
    np.testing.assert_allclose(grad, -(Y[1] * X[1]) / 2)  # 0 is used at the kink


def test_quadratic_features_separate_the_circle():
    X, y = circle(np.random.RandomState(0))
    # the true boundary (u-1)^2 + (v-1)^2 - 0.7 = 0 in feature coordinates
    w = np.array([2 - 0.7, -2, 1, -2, 1])
    Phi = shallow.quadratic_features(X)
    assert Phi.shape == (30, 5) and np.all(Phi[:, 0] == 1)
    assert shallow.sign_accuracy(w, Phi, y) == 1.0
    u = np.linspace(1 - 0.8, 1 + 0.8, 9)
    upper, lower = shallow.quadratic_boundary(w, u)
    inside = np.abs(u - 1) <= np.sqrt(0.7)
    np.testing.assert_allclose((u[inside] - 1) ** 2 + (upper[inside] - 1) ** 2, 0.7)
    np.testing.assert_allclose((u[inside] - 1) ** 2 + (lower[inside] - 1) ** 2, 0.7)
    assert np.all(np.isnan(upper[~inside]))


@settings(max_examples=20, deadline=None)
@given(x=st.floats(-3, 3), seed=st.integers(0, 1000))
def test_two_layer_gradient_matches_autograd(x, seed):
    """HW2 P6: df/du_j = sigma(a_j x + b_j), df/db_j = u_j sigma', df/da_j = u_j sigma' x."""
    theta = np.random.RandomState(seed).randn(30)
    t = torch.tensor(theta, requires_grad=True)
    a, b, u = t.split(10)
    (torch.sigmoid(a * x + b) @ u).backward()
    np.testing.assert_allclose(shallow.two_layer_gradient(theta, x), t.grad.numpy(), rtol=1e-12,
                               atol=1e-14)
    assert shallow.two_layer_f(theta, np.array([x]))[0] == pytest.approx(
        (torch.sigmoid(a * x + b) @ u).item())


def test_three_layer_net_size_and_course_init():
    torch.manual_seed(0)
    model = shallow.course_init_(shallow.three_layer_net())
    assert shallow.count_parameters(model) == shallow.mlp_parameter_count((1, 64, 64, 1)) == 4353
    for layer in (model[0], model[2], model[4]):
        assert torch.all(layer.bias == 0.03)
    # the overwrite draws N(0, 1) weights in layer order, after the default init's draws
    torch.manual_seed(0)
    shallow.three_layer_net()
    expected = [torch.randn(64, 1), torch.randn(64, 64), torch.randn(1, 64)]
    for layer, weight in zip((model[0], model[2], model[4]), expected, strict=True):
        assert torch.equal(layer.weight, weight)


def test_logistic_loss_torch_is_binary_cross_entropy():
    z = torch.randn(50, dtype=torch.float64)
    y = torch.where(torch.rand(50) > 0.5, 1.0, -1.0).double()
    torch.testing.assert_close(shallow.logistic_loss_torch(z, y),
                               F.binary_cross_entropy_with_logits(z, (y + 1) / 2))


def test_probability_squared_loss_is_the_squared_distance_to_one_hot():
    """HW4 P5 (b): for each sample ||onehot(y) - (sigma(-z), sigma(z))||^2, which equals
    2 sigma(-y z)^2."""
    z = torch.linspace(-4, 4, 9, dtype=torch.float64)
    for label in (-1.0, 1.0):
        y = torch.full_like(z, label)
        f = torch.stack([torch.sigmoid(-z), torch.sigmoid(z)], dim=1)
        onehot = torch.tensor([1.0, 0.0] if label < 0 else [0.0, 1.0], dtype=torch.float64)
        direct = ((onehot - f) ** 2).sum(1).mean()
        torch.testing.assert_close(shallow.probability_squared_loss(z, y), direct)
        torch.testing.assert_close(direct, (2 * torch.sigmoid(-y * z) ** 2).mean())


def test_linear_score_and_softmax_regression_shapes():
    x = torch.rand(5, 1, 28, 28)
    assert shallow.LinearScore().forward(x).shape == (5,)
    assert shallow.count_parameters(shallow.LinearScore(bias=True)) == 785
    model = shallow.SoftmaxRegression()
    assert model(x).shape == (5, 10) and shallow.count_parameters(model) == 7850
