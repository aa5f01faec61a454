"""HW5 P1-P2: backprop by hand against autograd; the finite-difference checker catches a
planted bug."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mfdnn.nn.backprop import mlp_backward, mlp_forward, squared_loss
from mfdnn.nn.gradcheck import check_gradient, numerical_gradient

pytestmark = pytest.mark.hw5


def _mlp(widths, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    As = [torch.randn(n_out, n_in, generator=g, dtype=dtype)
          for n_in, n_out in zip(widths[:-1], widths[1:], strict=True)]
    bs = [torch.randn(n_out, 1, generator=g, dtype=dtype) for n_out in widths[1:]]
    X = torch.randn(widths[0], 1, generator=g, dtype=dtype)
    Y = torch.randn(1, 1, generator=g, dtype=dtype)
    return X, Y, As, bs


def _autograd(X, Y, As, bs):
    As = [A.clone().requires_grad_(True) for A in As]
    bs = [b.clone().requires_grad_(True) for b in bs]
    squared_loss(mlp_forward(As, bs, X), Y).backward()
    return [A.grad for A in As], [b.grad for b in bs]


@settings(max_examples=20, deadline=None)
@given(hidden=st.lists(st.integers(1, 6), min_size=0, max_size=5), n_in=st.integers(1, 5),
       seed=st.integers(0, 10_000))
def test_manual_backprop_equals_autograd(hidden, n_in, seed):
    X, Y, As, bs = _mlp([n_in, *hidden, 1], seed)
    dAs, dbs = mlp_backward(As, mlp_forward(As, bs, X), Y)
    ref_A, ref_b = _autograd(X, Y, As, bs)
    for ours, ref in zip(dAs, ref_A, strict=True):
        torch.testing.assert_close(ours, ref, rtol=1e-12, atol=1e-14)
    for ours, ref in zip(dbs, ref_b, strict=True):
        assert ours.shape == (1, ref.shape[0])  # the course's row convention
        torch.testing.assert_close(ours.T, ref, rtol=1e-12, atol=1e-14)


def test_forward_matches_an_nn_module():
    """The starter's "Option 2": an nn.Sequential with the same weights gives the same output."""
    X, Y, As, bs = _mlp([4, 4, 4, 1], 0)
    layers = []
    for i, (A, b) in enumerate(zip(As, bs, strict=True)):
        linear = torch.nn.Linear(A.shape[1], A.shape[0]).double()
        with torch.no_grad():
            linear.weight.copy_(A)
            linear.bias.copy_(b.flatten())
        layers += [linear] + ([torch.nn.Sigmoid()] if i < len(As) - 1 else [])
    out = torch.nn.Sequential(*layers)(X.T)
    torch.testing.assert_close(mlp_forward(As, bs, X).output, out.T, rtol=1e-14, atol=1e-14)


def test_gradients_vanish_toward_the_input():
    """HW5 P2 on the HW5 P1 draws: each sigmoid layer multiplies the backpropagated row by
    diag(sigma') <= 1/4, and here every layer's gradient is smaller than the next one's."""
    from mfdnn.experiments.hw5_mlp_backprop import draw_mlp

    torch.manual_seed(0)
    X, Y, As, bs = draw_mlp()
    forward = mlp_forward(As, bs, X)
    dAs, _ = mlp_backward(As, forward, Y)
    norms = [dA.norm().item() for dA in dAs]
    assert norms == sorted(norms)
    for z in forward.zs[:-1]:
        s = torch.sigmoid(z)
        assert (s * (1 - s)).max() <= 0.25


def _flat_loss(X, Y, shapes):
    def f(theta):
        parts = torch.split(torch.tensor(theta), [int(np.prod(s)) for s in shapes])
        tensors = [p.reshape(s) for p, s in zip(parts, shapes, strict=True)]
        L = len(shapes) // 2
        return squared_loss(mlp_forward(tensors[:L], tensors[L:], X), Y).item()
    return f


def test_gradcheck_passes_the_correct_backprop_and_catches_a_planted_bug():
    X, Y, As, bs = _mlp([3, 4, 4, 1], 1)
    shapes = [A.shape for A in As] + [b.shape for b in bs]
    theta = torch.cat([t.flatten() for t in As + bs]).numpy()
    f = _flat_loss(X, Y, shapes)

    dAs, dbs = mlp_backward(As, mlp_forward(As, bs, X), Y)
    good = torch.cat([t.flatten() for t in dAs] + [db.T.flatten() for db in dbs]).numpy()
    result = check_gradient(f, theta, good)
    assert result.passed and result.max_abs_error < 1e-8

    def buggy_backward(As, forward, Y):
        """sigma' written as sigma (a classic slip): the hidden-layer gradients are wrong."""
        L = len(As)
        g = (forward.output - Y).T
        dAs, dbs = [None] * L, [None] * L
        for layer in range(L, 0, -1):
            z = forward.zs[layer - 1]
            D = torch.ones_like(z) if layer == L else torch.sigmoid(z)  # bug: not s (1 - s)
            db = g * D.T
            dAs[layer - 1], dbs[layer - 1] = db.T @ forward.ys[layer - 1].T, db
            g = db @ As[layer - 1]
        return dAs, dbs

    dAs, dbs = buggy_backward(As, mlp_forward(As, bs, X), Y)
    bad = torch.cat([t.flatten() for t in dAs] + [db.T.flatten() for db in dbs]).numpy()
    result = check_gradient(f, theta, bad)
    assert not result.passed and result.max_rel_error > 0.1


def test_numerical_gradient_of_a_quadratic_is_exact_to_roundoff():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.5, -1.5])
    np.testing.assert_allclose(numerical_gradient(lambda v: 0.5 * v @ A @ v, x), A @ x,
                               atol=1e-8)
    assert not check_gradient(lambda v: 0.5 * v @ A @ v, x, 2 * A @ x).passed


@pytest.mark.hw3
def test_manual_backprop_on_the_hw3_network_equals_autograd():
    """The HW3 MLP (1 -> 64 -> 64 -> 1, sigmoids, course init) is an MLP of this form: its
    per-sample gradients of (1/2)(f(x) - y)^2 by hand equal autograd's on the nn.Module."""
    from mfdnn.models.shallow import course_init_, three_layer_net

    torch.manual_seed(0)
    model = course_init_(three_layer_net()).double()
    linears = [model[0], model[2], model[4]]
    As = [layer.weight.detach() for layer in linears]
    bs = [layer.bias.detach().reshape(-1, 1) for layer in linears]
    for x, y in [(0.3, -1.2), (-1.7, 2.0)]:
        X, Y = torch.tensor([[x]], dtype=torch.float64), torch.tensor([[y]], dtype=torch.float64)
        dAs, dbs = mlp_backward(As, mlp_forward(As, bs, X), Y)
        model.zero_grad()
        (0.5 * (model(X) - Y) ** 2).sum().backward()
        for layer, dA, db in zip(linears, dAs, dbs, strict=True):
            torch.testing.assert_close(dA, layer.weight.grad, rtol=1e-12, atol=1e-14)
            torch.testing.assert_close(db.flatten(), layer.bias.grad, rtol=1e-12, atol=1e-14)
