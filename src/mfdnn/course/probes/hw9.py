"""HW9 probes: ``normalizingFlow1d.py`` and ``anomaly_detection.py``."""

from __future__ import annotations

import math

import torch
from torch import nn

from ._common import attr, fill_, floats, number, tensor


class ReferenceFlow(nn.Module):
    """The checker's flow: z = sum_i e^{w_i} (Phi((x - mu_i) / e^{tau_i}) - 1/2), dz/dx by
    autograd. The student's log_likelihood and inverse run on it (in the jail), and the judge
    uses the same class for its oracles."""

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


def _reference(req) -> ReferenceFlow:
    return ReferenceFlow(tensor(req["mu"]), tensor(req["tau"]), tensor(req["w"]))


def flow_forward(mod, req):
    flow = attr(mod, "Flow1d")().double()
    with torch.no_grad():
        for key in ("mu", "tau", "w"):
            getattr(flow, key).copy_(tensor(req[key]))
    z, dz = flow(tensor(req["x"]))
    return {"z": floats(z, "z"), "dz": floats(dz, "dz/dx")}


def log_likelihood(mod, req):
    fn = attr(mod, "log_likelihood")
    return {"log_p": floats(fn(_reference(req), tensor(req["x"])), "log p(x)")}


def inverse(mod, req):
    fn = attr(mod, "inverse")
    return {"x": floats(fn(_reference(req), tensor(req["z"])), "inverse(flow, z)")}


def autoencoder(mod, req):
    """The layer sizes the model reports and what it computes on the judge's images after
    its parameters are overwritten with the judge's values."""
    torch.manual_seed(req["seed"])
    model = attr(mod, "Autoencoder")()
    linears = [[m.in_features, m.out_features] for m in model.modules()
               if isinstance(m, nn.Linear)]
    shapes = [list(s) for s in fill_(model, req["fill_seed"])]
    x = tensor(req["x"], "float32")
    with torch.no_grad():
        out = floats(model(x), "Autoencoder()(x)")
        code = floats(attr(model, "encoder")(x), "model.encoder(x)")
    return {"linears": linears, "shapes": shapes, "out": out, "code": code}


def anomaly_scores(mod, req):
    fn = attr(mod, "anomaly_scores")
    torch.manual_seed(req["init_seed"])
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 784), nn.Sigmoid(),
                          nn.Unflatten(1, (1, 28, 28)))
    return {"scores": floats(fn(model, tensor(req["x"], "float32"), 10), "scores")}


def threshold(mod, req):
    fn = attr(mod, "threshold")
    return {"threshold": number(fn(tensor(req["scores"], "float32")), "threshold")}
