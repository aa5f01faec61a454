"""HW9 checks: ``normalizingFlow1d.py`` (the flow against the written-out CDF sum and its
autograd derivative; the change-of-variables log-likelihood and the bisection inverse, both
run on the checker's flow) and ``anomaly_detection.py`` (the autoencoder's layers, the
scores and the threshold)."""

from __future__ import annotations

import math

import torch
from torch import nn

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


class ReferenceFlow(nn.Module):
    """z = sum_i e^{w_i} (Phi((x - mu_i) / e^{tau_i}) - 1/2), and dz/dx by autograd."""

    def __init__(self, mu, tau, w) -> None:
        super().__init__()
        self.mu, self.tau, self.w = mu, tau, w

    def z(self, x: torch.Tensor) -> torch.Tensor:
        u = (x.reshape(-1, 1) - self.mu) / self.tau.exp()
        return (self.w.exp() * (0.5 * (1 + torch.erf(u / math.sqrt(2))) - 0.5)).sum(1)

    def forward(self, x: torch.Tensor):
        with torch.enable_grad():
            x = x.detach().clone().requires_grad_()
            z = self.z(x)
            (dz,) = torch.autograd.grad(z.sum(), x)
        return z.detach(), dz.detach()


def _params(seed: int):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(5, generator=g, dtype=torch.float64),
            0.3 * torch.randn(5, generator=g, dtype=torch.float64),
            0.5 * torch.randn(5, generator=g, dtype=torch.float64))


@check("normalizingFlow1d.py", 25, "Flow1d.forward: z and dz/dx equal the sum of weighted "
       "Gaussian CDFs and its autograd derivative", registry=CHECKS)
def flow_forward(mod) -> str:
    flow = attr(mod, "Flow1d")().double()
    mu, tau, w = _params(0)
    with torch.no_grad():
        flow.mu.copy_(mu)
        flow.tau.copy_(tau)
        flow.w.copy_(w)
    x = torch.linspace(-3, 3, 41, dtype=torch.float64)
    z, dz = flow(x)
    want_z, want_dz = ReferenceFlow(mu, tau, w)(x)
    close(z.detach().reshape(-1), want_z, "z = f(x)", atol=1e-10)
    close(dz.detach().reshape(-1), want_dz, "dz/dx", atol=1e-10)
    return "ok"


@check("normalizingFlow1d.py", 15, "log_likelihood: log N(z; 0, 1) + log dz/dx (on the "
       "checker's flow)", registry=CHECKS)
def log_likelihood(mod) -> str:
    fn = attr(mod, "log_likelihood")
    flow = ReferenceFlow(*_params(1))
    x = torch.linspace(-2, 2, 17, dtype=torch.float64)
    z, dz = flow(x)
    want = -0.5 * z**2 - 0.5 * math.log(2 * math.pi) + torch.log(dz)
    close(torch.as_tensor(fn(flow, x)).detach().reshape(-1), want, "log p(x)", atol=1e-10)
    return "ok"


@check("normalizingFlow1d.py", 15, "inverse: 30 bisection steps on [-3, 3] invert the "
       "checker's flow to within 6 / 2^30", registry=CHECKS)
def inverse(mod) -> str:
    fn = attr(mod, "inverse")
    flow = ReferenceFlow(*_params(2))
    x = torch.linspace(-2.9, 2.9, 23, dtype=torch.float64)
    z = flow(x)[0]
    got = torch.as_tensor(fn(flow, z)).detach().reshape(-1)
    require(got.shape == x.shape, f"inverse returned shape {tuple(got.shape)}")
    err = (got - x).abs().max().item()
    require(err <= 6 / 2**30 * 1.01, f"inverse is off by up to {err:.3g}; 30 bisection steps "
            f"on [-3, 3] give {6 / 2**30:.3g}")
    return "ok"


@check("anomaly_detection.py", 20, "Autoencoder: 784-256-128-32 (ReLU, code included) and "
       "32-128-256-784 (ReLU, ReLU, sigmoid), 1x28x28 out", registry=CHECKS)
def autoencoder(mod) -> str:
    torch.manual_seed(0)
    model = attr(mod, "Autoencoder")()
    linears = [(m.in_features, m.out_features) for m in model.modules()
               if isinstance(m, nn.Linear)]
    require(linears == [(784, 256), (256, 128), (128, 32), (32, 128), (128, 256), (256, 784)],
            f"linear layers {linears}")
    x = torch.rand(3, 1, 28, 28)
    with torch.no_grad():
        out = model(x)
        require(tuple(out.shape) == (3, 1, 28, 28), f"output shape {tuple(out.shape)}")
        require(bool((out > 0).all() and (out < 1).all()), "outputs are not in (0, 1): "
                "the decoder must end with a sigmoid")
        code = model.encoder(x)
        require(bool((code >= 0).all()) and code.shape[-1] == 32,
                "the 32-dimensional code must pass through a ReLU")
    return "ok"


@check("anomaly_detection.py", 15, "anomaly_scores: per-image squared reconstruction error, "
       "summed over pixels", registry=CHECKS)
def anomaly_scores(mod) -> str:
    fn = attr(mod, "anomaly_scores")
    torch.manual_seed(1)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 784), nn.Sigmoid(),
                          nn.Unflatten(1, (1, 28, 28)))
    x = torch.rand(25, 1, 28, 28)
    with torch.no_grad():
        want = (x - model(x)).pow(2).sum(dim=(1, 2, 3))
    close(torch.as_tensor(fn(model, x, 10)).reshape(-1), want, "scores", atol=1e-4,
          rtol=1e-5)
    return "ok"


@check("anomaly_detection.py", 10, "threshold: mean + 3 std of the validation scores",
       registry=CHECKS)
def threshold(mod) -> str:
    fn = attr(mod, "threshold")
    scores = torch.tensor([1.0, 2.0, 2.0, 3.0, 10.0])
    population = (scores.mean() + 3 * scores.std(unbiased=False)).item()
    sample = (scores.mean() + 3 * scores.std()).item()
    got = float(fn(scores))
    require(abs(got - population) < 1e-5 or abs(got - sample) < 1e-5,
            f"threshold {got:.5g}; mean + 3 std is {population:.5g} (population std) or "
            f"{sample:.5g} (sample std)")
    return "ok"
