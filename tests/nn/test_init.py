"""LeCun / Xavier / He initialisation (Chapter 3b) and the HW6 P1 / P2 identities."""

import math

import pytest
import torch
from torch import nn

from mfdnn.nn.init import fans, he_normal_, init_model, init_weight_, lecun_normal_, scheme_std

pytestmark = pytest.mark.hw6


@pytest.mark.parametrize("shape", [(64, 32), (16, 8, 3, 3), (12, 4, 5, 5)])
def test_fans_are_pytorchs(shape):
    w = torch.empty(shape)
    assert fans(w) == nn.init._calculate_fan_in_and_fan_out(w)


@pytest.mark.parametrize("scheme, variance", [
    ("lecun", lambda n_in, n_out: 1 / n_in),
    ("xavier", lambda n_in, n_out: 2 / (n_in + n_out)),
    ("xavier_uniform", lambda n_in, n_out: 2 / (n_in + n_out)),
    ("he", lambda n_in, n_out: 2 / n_in),
    ("he_fan_out", lambda n_in, n_out: 2 / n_out),
])
def test_empirical_variance_is_the_prescription(scheme, variance):
    w = torch.empty(256, 64, 3, 3)  # n_in = 576, n_out = 2304
    init_weight_(w, scheme, generator=torch.Generator().manual_seed(0))
    expected = variance(64 * 9, 256 * 9)
    assert scheme_std(w, scheme) ** 2 == pytest.approx(expected)
    assert w.var().item() == pytest.approx(expected, rel=0.02)
    assert abs(w.mean().item()) < 0.01 * math.sqrt(expected)


def test_he_matches_torch_kaiming_and_lecun_is_kaiming_linear():
    g1, g2 = torch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    ours, theirs = torch.empty(128, 64), torch.empty(128, 64)
    he_normal_(ours, generator=g1)
    nn.init.kaiming_normal_(theirs, nonlinearity="relu", generator=g2)
    torch.testing.assert_close(ours, theirs)
    g1.manual_seed(4), g2.manual_seed(4)
    lecun_normal_(ours, generator=g1)
    nn.init.kaiming_normal_(theirs, nonlinearity="linear", generator=g2)
    torch.testing.assert_close(ours, theirs)


def test_init_model_zeroes_biases_and_keeps_default():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Conv1d(1, 2, 3))
    before = [p.clone() for p in model.parameters()]
    init_model(model, "default")
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    init_model(model, "he")
    assert model[0].bias.abs().max() == 0 and model[2].bias.abs().max() == 0
    with pytest.raises(ValueError):
        init_model(model, "normal")  # needs std


def test_he_keeps_the_second_moment_through_relu_layers_and_lecun_halves_it():
    x = torch.randn(2000, 400, generator=torch.Generator().manual_seed(0))
    mean_square = {}
    for scheme in ("he", "lecun"):
        torch.manual_seed(0)
        model = init_model(nn.Sequential(*[m for _ in range(10)
                                           for m in (nn.Linear(400, 400), nn.ReLU())]), scheme)
        mean_square[scheme] = model(x).pow(2).mean().item()
    # E[ReLU(z)^2] = Var(z) / 2: He (2 / n_in) keeps the mean square near 1 (a random walk of a
    # few % per layer), LeCun (1 / n_in) halves it at every layer: 2^-10 after ten
    assert 1 / 3 < mean_square["he"] < 3
    assert mean_square["lecun"] == pytest.approx(2.0**-10, rel=0.5)


def test_default_init_variance_of_a_deep_linear_mlp():
    """HW6 P2: Var(y_L) = 3^-L + sum_k 1 / (3^(L-k) n_k) for unit-second-moment inputs."""
    widths = [8, 6, 5, 4]
    L = len(widths) - 1
    x = torch.randn(widths[0])
    x = x / x.norm() * math.sqrt(widths[0])  # ||x||^2 = n_0
    samples = []
    torch.manual_seed(0)
    for _ in range(4000):
        y = x
        for n_in, n_out in zip(widths, widths[1:], strict=False):
            y = nn.Linear(n_in, n_out)(y)
        samples.append(y[0].item())
    formula = 3.0**-L + sum(1 / (3 ** (L - k) * widths[k]) for k in range(L))
    assert torch.tensor(samples).var().item() == pytest.approx(formula, rel=0.1)


def test_dropout_commutes_with_relu_and_leaky_relu_but_not_sigmoid():
    """HW6 P1: with the same mask m, f(m x / (1 - p)) = m f(x) / (1 - p) for positively
    homogeneous f."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1000, generator=g)
    p = 0.3
    mask = (torch.rand(1000, generator=g) > p).float()

    def drop(z):
        return mask * z / (1 - p)

    for f in (torch.relu, nn.functional.leaky_relu):
        torch.testing.assert_close(f(drop(x)), drop(f(x)))
    assert (torch.sigmoid(drop(x)) - drop(torch.sigmoid(x))).abs().max() > 0.4  # sigma(0) = 1/2
    torch.manual_seed(1)
    layer = nn.Dropout(p).train()
    ones = torch.ones(200_000)
    assert layer(ones).mean().item() == pytest.approx(1.0, abs=0.01)  # inverted dropout: mean kept
