"""f-divergences, their conjugates, the optimal discriminator and the weighted GAN (HW8 P3,
HW12 P2, Chapter 5.4)."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mfdnn.gan.divergences import (
    CONJUGATES,
    F_FUNCTIONS,
    discriminator_value,
    f_divergence,
    jensen_shannon,
    optimal_discriminator,
    optimal_value,
    weighted_gan_f,
)

pytestmark = [pytest.mark.hw8, pytest.mark.hw12]

distributions = st.lists(st.floats(0.01, 10.0), min_size=2, max_size=8)


def normalise(values: list[float]) -> torch.Tensor:
    t = torch.tensor(values, dtype=torch.float64)
    return t / t.sum()


@settings(max_examples=60, deadline=None)
@given(distributions, distributions, st.sampled_from(sorted(F_FUNCTIONS)))
def test_f_divergences_are_nonnegative_and_zero_on_equal_arguments(a, b, name):
    n = min(len(a), len(b))
    p, q = normalise(a[:n]), normalise(b[:n])
    assert f_divergence(p, q, name).item() >= -1e-12
    assert abs(f_divergence(p, p, name).item()) < 1e-12


def test_named_divergences_match_their_direct_formulas():
    gen = torch.Generator().manual_seed(0)
    p = torch.rand(6, generator=gen, dtype=torch.float64) + 0.1
    q = torch.rand(6, generator=gen, dtype=torch.float64) + 0.1
    p, q = p / p.sum(), q / q.sum()
    kl_pq, kl_qp = (p * torch.log(p / q)).sum(), (q * torch.log(q / p)).sum()
    torch.testing.assert_close(f_divergence(p, q, "kl"), kl_pq)
    torch.testing.assert_close(f_divergence(p, q, "reverse_kl"), kl_qp)  # f = -log u: KL(q||p)
    torch.testing.assert_close(f_divergence(p, q, "squared_hellinger"),
                               ((p.sqrt() - q.sqrt()) ** 2).sum())
    torch.testing.assert_close(f_divergence(p, q, "jensen_shannon"), jensen_shannon(p, q))


@pytest.mark.parametrize("name, ts", [("kl", [-1.0, 0.0, 1.5]),
                                      ("reverse_kl", [-3.0, -1.0, -0.2]),
                                      ("squared_hellinger", [-2.0, 0.0, 0.5]),
                                      ("jensen_shannon", [-2.0, 0.0, 0.3])])
def test_conjugates_are_the_supremum_of_tu_minus_f(name, ts):
    u = torch.logspace(-8, 8, 400001, dtype=torch.float64)
    f = F_FUNCTIONS[name](u)
    for t in ts:
        numeric = (t * u - f).max()
        closed = CONJUGATES[name](torch.tensor(t, dtype=torch.float64))
        assert numeric.item() == pytest.approx(closed.item(), abs=1e-5)


@pytest.mark.parametrize("name", sorted(F_FUNCTIONS))
def test_inverse_derivative_of_f_is_derivative_of_the_conjugate(name):
    # (f')^{-1} = (f*)': at u, t = f'(u) gives (f*)'(t) = u
    u = torch.tensor([0.3, 1.0, 2.5], dtype=torch.float64, requires_grad=True)
    (t,) = torch.autograd.grad(F_FUNCTIONS[name](u).sum(), u)
    t = t.detach().requires_grad_(True)
    (back,) = torch.autograd.grad(CONJUGATES[name](t).sum(), t)
    torch.testing.assert_close(back, u.detach())


@pytest.mark.parametrize("weight", [0.5, 1.0, 3.0])
def test_weighted_gan_optimum_and_value(weight):
    """HW12 P2: maximise E_p log D + lambda E_q log(1 - D) numerically, pointwise."""
    gen = torch.Generator().manual_seed(1)
    p = torch.rand(7, generator=gen, dtype=torch.float64) + 0.05
    q = torch.rand(7, generator=gen, dtype=torch.float64) + 0.05
    p, q = p / p.sum(), q / q.sum()
    d = torch.linspace(1e-6, 1 - 1e-6, 1_000_001, dtype=torch.float64).unsqueeze(1)
    pointwise = p * torch.log(d) + weight * q * torch.log1p(-d)  # separable in the points
    best = d[pointwise.argmax(0), 0]
    torch.testing.assert_close(best, optimal_discriminator(p, q, weight), atol=2e-6, rtol=0)
    numeric_value = pointwise.max(0).values.sum()
    torch.testing.assert_close(numeric_value, optimal_value(p, q, weight), atol=1e-9, rtol=0)
    torch.testing.assert_close(discriminator_value(p, q, optimal_discriminator(p, q, weight),
                                                   weight), optimal_value(p, q, weight))
    f = weighted_gan_f(weight)
    assert abs(f(torch.tensor(1.0, dtype=torch.float64)).item()) < 1e-12  # f(1) = 0
    u = torch.linspace(0.01, 20, 2000, dtype=torch.float64)
    assert (f(u[:-2]) - 2 * f(u[1:-1]) + f(u[2:]) >= -1e-12).all()  # convex


def test_plain_gan_value_is_twice_js_minus_log_four():
    gen = torch.Generator().manual_seed(2)
    p = torch.rand(5, generator=gen, dtype=torch.float64) + 0.1
    q = torch.rand(5, generator=gen, dtype=torch.float64) + 0.1
    p, q = p / p.sum(), q / q.sum()
    torch.testing.assert_close(optimal_value(p, q, 1.0), 2 * jensen_shannon(p, q) - math.log(4))
