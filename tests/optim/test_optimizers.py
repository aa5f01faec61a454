"""The written-out optimisers against torch.optim, step by step, and the course's identities:
the two momentum forms give the same iterates, Adam's bias correction is exact on a constant
gradient, epsilon inside vs outside the square root, weight decay vs an l2 penalty."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mfdnn.optim import SGD, Adam, HeavyBall, Momentum, RMSProp

pytestmark = [pytest.mark.hw5, pytest.mark.hw1]

STEPS = 25


def _problem(seed: int = 0):
    """A small nonconvex loss (two-layer tanh net, least squares) with float64 parameters."""
    g = torch.Generator().manual_seed(seed)
    X, Y = torch.randn(32, 5, generator=g, dtype=torch.float64), torch.randn(32, 1,
                                                                             generator=g,
                                                                             dtype=torch.float64)
    W1 = torch.randn(5, 8, generator=g, dtype=torch.float64)
    W2 = torch.randn(8, 1, generator=g, dtype=torch.float64)

    def loss_fn(params):
        w1, w2 = params
        return ((torch.tanh(X @ w1) @ w2 - Y) ** 2).mean()

    return [W1, W2], loss_fn


def _trajectory(make_optimizer, steps: int = STEPS, seed: int = 0) -> list[list[torch.Tensor]]:
    init, loss_fn = _problem(seed)
    params = [p.clone().requires_grad_(True) for p in init]
    optimizer = make_optimizer(params)
    path = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(params).backward()
        optimizer.step()
        path.append([p.detach().clone() for p in params])
    return path


def _assert_same_path(ours, theirs, rtol=1e-12, atol=1e-14):
    for k, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        for p, q in zip(a, b, strict=True):
            torch.testing.assert_close(p, q, rtol=rtol, atol=atol,
                                       msg=lambda m, k=k: f"step {k + 1}: {m}")


CASES = {
    "sgd": (lambda p: SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "sgd_weight_decay": (lambda p: SGD(p, lr=0.1, weight_decay=0.05),
                         lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.05)),
    "momentum": (lambda p: Momentum(p, lr=0.05, beta=0.9),
                 lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "momentum_weight_decay": (lambda p: Momentum(p, lr=0.05, beta=0.8, weight_decay=0.01),
                              lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8,
                                                        weight_decay=0.01)),
    "heavy_ball": (lambda p: HeavyBall(p, lr=0.05, beta=0.9),
                   lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "nesterov": (lambda p: Momentum(p, lr=0.05, beta=0.9, nesterov=True),
                 lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
    "rmsprop": (lambda p: RMSProp(p, lr=0.01, beta2=0.99, eps_inside=False),
                lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8)),
    "rmsprop_weight_decay": (lambda p: RMSProp(p, lr=0.01, eps_inside=False, weight_decay=0.1),
                             lambda p: torch.optim.RMSprop(p, lr=0.01, weight_decay=0.1)),
    "adam": (lambda p: Adam(p, lr=0.01, eps_inside=False),
             lambda p: torch.optim.Adam(p, lr=0.01)),
    "adam_l2": (lambda p: Adam(p, lr=0.01, betas=(0.8, 0.99), eps_inside=False,
                               weight_decay=0.1),
                lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    "adamw": (lambda p: Adam(p, lr=0.01, eps_inside=False, weight_decay=0.1, decoupled=True),
              lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
}


@pytest.mark.parametrize("name", CASES)
def test_same_iterates_as_torch_optim(name):
    ours, theirs = CASES[name]
    _assert_same_path(_trajectory(ours), _trajectory(theirs))


def test_parameters_without_gradient_are_left_alone():
    a = torch.ones(3, requires_grad=True)
    b = torch.ones(3, requires_grad=True)
    for make in (lambda p: SGD(p, 0.1), lambda p: Momentum(p, 0.1), lambda p: HeavyBall(p, 0.1),
                 lambda p: RMSProp(p), lambda p: Adam(p)):
        optimizer = make([a, b])
        optimizer.zero_grad()
        (a**2).sum().backward()
        optimizer.step()
        assert torch.equal(b, torch.ones(3))
        assert not torch.equal(a, torch.ones(3))
        a.data.fill_(1)


@settings(max_examples=25, deadline=None)
@given(lr=st.floats(1e-3, 0.5), beta=st.floats(0.0, 0.99), seed=st.integers(0, 10_000))
def test_two_momentum_forms_identical_with_stochastic_gradients(lr, beta, seed):
    """HW5 P3: v^{k+1} = g^k + beta v^k, theta^{k+1} = theta^k - alpha v^{k+1} gives the
    iterates of theta^{k+1} = theta^k - alpha g^k + beta (theta^k - theta^{k-1}), when both see
    the same noisy gradients."""
    noise = torch.Generator().manual_seed(seed)
    noises = [torch.randn(4, generator=noise, dtype=torch.float64) for _ in range(30)]
    target = torch.arange(4, dtype=torch.float64)
    paths = []
    for make in (lambda p: Momentum(p, lr=lr, beta=beta), lambda p: HeavyBall(p, lr=lr,
                                                                                beta=beta)):
        theta = torch.zeros(4, dtype=torch.float64, requires_grad=True)
        optimizer = make([theta])
        path = []
        for z in noises:
            optimizer.zero_grad()
            (0.5 * ((theta - target) ** 2).sum() + (z * theta).sum()).backward()
            optimizer.step()
            path.append(theta.detach().clone())
        paths.append(torch.stack(path))
    torch.testing.assert_close(paths[0], paths[1], rtol=1e-10, atol=1e-10)


def test_nesterov_is_the_look_ahead_method():
    """theta^{k+1} = y^k - alpha grad f(y^k), y^k = theta^k + beta (theta^k - theta^{k-1}) (the
    look-ahead form) becomes the velocity form after the change of variables: PyTorch's
    Nesterov iterates are the look-ahead method's y^k."""
    A = torch.tensor([[3.0, 1.0], [1.0, 2.0]], dtype=torch.float64)
    b = torch.tensor([1.0, -1.0], dtype=torch.float64)

    def grad(x):
        return A @ x - b

    alpha, beta, x0 = 0.1, 0.9, torch.tensor([2.0, -3.0], dtype=torch.float64)
    previous, theta, look_ahead = x0.clone(), x0.clone(), []
    for _ in range(20):
        y = theta + beta * (theta - previous)
        previous, theta = theta, y - alpha * grad(y)
        look_ahead.append(theta + beta * (theta - previous))  # y^{k+1}
    x = x0.clone().requires_grad_(True)
    optimizer = Momentum([x], lr=alpha, beta=beta, nesterov=True)
    ours = []
    for _ in range(20):
        optimizer.zero_grad()
        x.grad = grad(x.detach())
        optimizer.step()
        ours.append(x.detach().clone())
    # PyTorch's v^0 = 0 gives y^0 = theta^0 and the iterates coincide from the start.
    torch.testing.assert_close(torch.stack(ours), torch.stack(look_ahead), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("eps_inside", [True, False])
def test_adam_bias_correction_exact_on_constant_gradient(eps_inside):
    """With g constant, m1_hat = g and m2_hat = g^2 exactly, so after k steps
    theta = theta^0 - k alpha g / sqrt(g^2 + eps) (inside) or g / (|g| + eps) (outside)."""
    g = torch.tensor([3.0, -0.5, 1e-3, 0.0], dtype=torch.float64)
    eps, alpha, k = 1e-8, 0.01, 40
    theta = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    optimizer = Adam([theta], lr=alpha, eps=eps, eps_inside=eps_inside)
    for _ in range(k):
        theta.grad = g.clone()
        optimizer.step()
        state = optimizer.state[theta]
        torch.testing.assert_close(state["m1"] / (1 - 0.9 ** state["k"]), g, rtol=1e-14,
                                   atol=1e-18)
        torch.testing.assert_close(state["m2"] / (1 - 0.999 ** state["k"]), g * g, rtol=1e-12,
                                   atol=1e-20)
    denominator = (g * g + eps).sqrt() if eps_inside else g.abs() + eps
    torch.testing.assert_close(theta.detach(), -k * alpha * g / denominator, rtol=1e-12,
                               atol=1e-15)


def test_rmsprop_eps_inside_matches_the_slide_formula():
    """m2 <- beta2 m2 + (1 - beta2) g^2, theta <- theta - alpha g / sqrt(m2 + eps), by hand."""
    gen = torch.Generator().manual_seed(1)
    grads = [torch.randn(5, generator=gen, dtype=torch.float64) * 1e-3 for _ in range(10)]
    theta = torch.zeros(5, dtype=torch.float64, requires_grad=True)
    optimizer = RMSProp([theta], lr=0.01, beta2=0.99, eps=1e-8)
    m2, expected = torch.zeros(5, dtype=torch.float64), torch.zeros(5, dtype=torch.float64)
    for g in grads:
        theta.grad = g.clone()
        optimizer.step()
        m2 = 0.99 * m2 + 0.01 * g * g
        expected = expected - 0.01 * g / torch.sqrt(m2 + 1e-8)
    torch.testing.assert_close(theta.detach(), expected, rtol=1e-12, atol=1e-15)
    # Tiny gradients: the two placements of epsilon differ by far more than round-off.
    outside = torch.zeros(5, dtype=torch.float64, requires_grad=True)
    other = RMSProp([outside], lr=0.01, eps=1e-8, eps_inside=False)
    for g in grads:
        outside.grad = g.clone()
        other.step()
    assert (outside.detach() - theta.detach()).abs().max() > 1e-3


def test_weight_decay_equals_l2_for_sgd_but_not_for_adam():
    """(1 - alpha lambda) theta - alpha g is SGD on loss + (lambda/2)||theta||^2; Adam with
    decoupled decay is not Adam on the penalised loss."""
    lam = 0.1

    def penalised(opt_cls, **kw):
        def make(params):
            return opt_cls(params, **kw)
        return make

    init, loss_fn = _problem()

    def run(make, penalty):
        params = [p.clone().requires_grad_(True) for p in init]
        optimizer = make(params)
        for _ in range(STEPS):
            optimizer.zero_grad()
            loss = loss_fn(params) + penalty * sum((p**2).sum() for p in params) / 2
            loss.backward()
            optimizer.step()
        return torch.cat([p.detach().flatten() for p in params])

    torch.testing.assert_close(run(penalised(SGD, lr=0.1, weight_decay=lam), 0.0),
                               run(penalised(SGD, lr=0.1), lam), rtol=1e-12, atol=1e-14)
    decoupled = run(penalised(Adam, lr=0.01, weight_decay=lam, decoupled=True), 0.0)
    l2 = run(penalised(Adam, lr=0.01), lam)
    assert (decoupled - l2).abs().max() > 1e-4


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=-1), lambda p: Momentum(p, 0.1, beta=1.0),
                                  lambda p: RMSProp(p, eps=-1), lambda p: Adam(p, betas=(1, 0.9))])
def test_bad_hyperparameters_are_rejected(make):
    with pytest.raises(ValueError):
        make([torch.zeros(2, requires_grad=True)])
