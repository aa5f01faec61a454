"""HW9 checks: ``normalizingFlow1d.py`` (the flow against the written-out CDF sum and its
autograd derivative; the change-of-variables log-likelihood and the bisection inverse, both
run on the checker's flow) and ``anomaly_detection.py`` (the autoencoder's layers and what it
computes on the checker's weights, the scores and the threshold)."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import array, close, field, number, require, shown
from mfdnn.course.probes._common import fill_
from mfdnn.course.probes.hw9 import ReferenceFlow
from mfdnn.models.autoencoder import MLPAutoencoder

CHECKS: list[Check] = []


def _params(rng: np.random.RandomState) -> dict[str, np.ndarray]:
    return {"mu": rng.randn(5), "tau": 0.3 * rng.randn(5), "w": 0.5 * rng.randn(5)}


def _flow(params: dict[str, np.ndarray]) -> ReferenceFlow:
    return ReferenceFlow(*(torch.tensor(params[k]) for k in ("mu", "tau", "w")))


@check("normalizingFlow1d.py", 25, "Flow1d.forward: z and dz/dx equal the sum of weighted "
       "Gaussian CDFs and its autograd derivative", registry=CHECKS)
def flow_forward(rng: np.random.RandomState) -> Case:
    params = _params(rng)
    x = np.linspace(-3, 3, 41)
    want_z, want_dz = _flow(params)(torch.tensor(x))

    def verdict(answer) -> str:
        close(array(field(answer, "z"), "z").reshape(-1), want_z, "z = f(x)", atol=1e-10)
        close(array(field(answer, "dz"), "dz").reshape(-1), want_dz, "dz/dx", atol=1e-10)
        return "ok"

    return Case({**params, "x": x}, verdict)


@check("normalizingFlow1d.py", 15, "log_likelihood: log N(z; 0, 1) + log dz/dx (on the "
       "checker's flow)", registry=CHECKS)
def log_likelihood(rng: np.random.RandomState) -> Case:
    params = _params(rng)
    x = np.sort(rng.uniform(-2, 2, 17))
    z, dz = _flow(params)(torch.tensor(x))
    want = -0.5 * z**2 - 0.5 * math.log(2 * math.pi) + torch.log(dz)

    def verdict(answer) -> str:
        close(array(field(answer, "log_p"), "log p").reshape(-1), want, "log p(x)", atol=1e-10)
        return "ok"

    return Case({**params, "x": x}, verdict)


@check("normalizingFlow1d.py", 15, "inverse: 30 bisection steps on [-3, 3] invert the "
       "checker's flow to within 6 / 2^30", registry=CHECKS)
def inverse(rng: np.random.RandomState) -> Case:
    params = _params(rng)
    x = np.sort(rng.uniform(-2.9, 2.9, 23))
    z = _flow(params)(torch.tensor(x))[0].numpy()

    def verdict(answer) -> str:
        got = array(field(answer, "x"), "x").reshape(-1)
        require(got.shape == x.shape, f"inverse returned shape {got.shape}")
        err = float(np.max(np.abs(got - x)))
        require(err <= 6 / 2**30 * 1.01, f"inverse is off by up to {err:.3g}; 30 bisection "
                f"steps on [-3, 3] give {6 / 2**30:.3g}")
        return "ok"

    return Case({**params, "z": z}, verdict)


LINEARS = [[784, 256], [256, 128], [128, 32], [32, 128], [128, 256], [256, 784]]


@check("anomaly_detection.py", 20, "Autoencoder: 784-256-128-32 (ReLU, code included) and "
       "32-128-256-784 (ReLU, ReLU, sigmoid), 1x28x28 out", registry=CHECKS)
def autoencoder(rng: np.random.RandomState) -> Case:
    seed, fill_seed = (int(s) for s in rng.randint(2**31, size=2))
    x = rng.rand(3, 1, 28, 28).astype(np.float32)
    reference = MLPAutoencoder()  # the docstring's layers (mfdnn.models.autoencoder)
    shapes = [list(s) for s in fill_(reference, fill_seed)]
    with torch.no_grad():
        xt = torch.tensor(x)
        want_out, want_code = reference(xt), reference.encoder(xt.flatten(1))

    def verdict(answer) -> str:
        linears = field(answer, "linears")
        require(linears == LINEARS, f"linear layers {shown(linears, 200)}")
        out = array(field(answer, "out"), "out")
        require(out.shape == (3, 1, 28, 28), f"output shape {out.shape}")
        require(bool((out > 0).all() and (out < 1).all()), "outputs are not in (0, 1): "
                "the decoder must end with a sigmoid")
        code = array(field(answer, "code"), "code")
        require(bool((code >= 0).all()) and code.ndim >= 1 and code.shape[-1] == 32,
                "the 32-dimensional code must pass through a ReLU")
        require(field(answer, "shapes") == shapes, "the parameters are not those of the "
                "docstring's layers in order")
        close(out, want_out, "the reconstruction on the checker's weights", atol=1e-5)
        close(code.reshape(3, 32), want_code, "the code on the checker's weights", atol=1e-5)
        return "ok"

    return Case({"seed": seed, "fill_seed": fill_seed, "x": x}, verdict)


@check("anomaly_detection.py", 15, "anomaly_scores: per-image squared reconstruction error, "
       "summed over pixels", registry=CHECKS)
def anomaly_scores(rng: np.random.RandomState) -> Case:
    init_seed = int(rng.randint(2**31))
    x = rng.rand(25, 1, 28, 28).astype(np.float32)
    torch.manual_seed(init_seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 784), nn.Sigmoid(),
                          nn.Unflatten(1, (1, 28, 28)))
    with torch.no_grad():
        xt = torch.tensor(x)
        want = (xt - model(xt)).pow(2).sum(dim=(1, 2, 3))

    def verdict(answer) -> str:
        close(array(field(answer, "scores"), "scores").reshape(-1), want, "scores", atol=1e-4,
              rtol=1e-5)
        return "ok"

    return Case({"init_seed": init_seed, "x": x}, verdict)


@check("anomaly_detection.py", 10, "threshold: mean + 3 std of the validation scores",
       registry=CHECKS)
def threshold(rng: np.random.RandomState) -> Case:
    scores = np.round(rng.uniform(1, 10, int(rng.randint(5, 12))), 1).astype(np.float32)
    t = torch.tensor(scores)
    population = (t.mean() + 3 * t.std(unbiased=False)).item()
    sample = (t.mean() + 3 * t.std()).item()

    def verdict(answer) -> str:
        got = number(field(answer, "threshold"), "threshold")
        require(abs(got - population) < 1e-4 or abs(got - sample) < 1e-4,
                f"threshold {got:.5g}; mean + 3 std is {population:.5g} (population std) or "
                f"{sample:.5g} (sample std)")
        return "ok"

    return Case({"scores": scores}, verdict)
