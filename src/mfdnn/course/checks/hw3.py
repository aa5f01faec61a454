"""HW3 checks: ``threelayerSGD.py`` (the custom initialisation, draw for draw, and one epoch
of minibatch SGD on MSE against the checker's loop)."""

from __future__ import annotations

import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


def reference_model() -> nn.Sequential:
    model = nn.Sequential(nn.Linear(1, 64), nn.Sigmoid(), nn.Linear(64, 64), nn.Sigmoid(),
                          nn.Linear(64, 1))
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.Linear):
                layer.weight.normal_()  # N(0, 1), layer by layer, after construction
                layer.bias.fill_(0.03)
    return model


@check("threelayerSGD.py", 50, "build_model: widths (1, 64, 64, 1) with sigmoids, weights "
       "N(0,1) drawn after construction in layer order, biases 0.03", registry=CHECKS)
def build_model(mod) -> str:
    torch.manual_seed(11)
    got = attr(mod, "build_model")()
    torch.manual_seed(11)
    want = reference_model()
    got_params = dict(got.named_parameters())
    shapes = [tuple(p.shape) for p in got_params.values()]
    require(shapes == [tuple(p.shape) for p in want.parameters()],
            f"parameter shapes {shapes}, expected (64,1), (64,), (64,64), (64,), (1,64), (1,)")
    for (name, p), q in zip(got_params.items(), want.parameters(), strict=True):
        close(p.detach(), q.detach(), f"{name} (same seed, same draws)", atol=0)
    x = torch.linspace(-2, 2, 9).reshape(-1, 1)
    with torch.no_grad():
        close(got(x), want(x), "the network's output", atol=1e-6)
    return "ok: same parameters, draw for draw"


@check("threelayerSGD.py", 50, "train_epoch: one shuffled epoch of SGD on MSE gives the "
       "checker's parameters and mean batch loss", registry=CHECKS)
def train_epoch(mod) -> str:
    fn = attr(mod, "train_epoch")
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(1, 8), nn.Sigmoid(), nn.Linear(8, 1))
    twin = copy.deepcopy(model)
    x = torch.randn(50, 1)
    loader = DataLoader(TensorDataset(x, (x - 2) * torch.cos(4 * x)), batch_size=16,
                        shuffle=True)
    torch.manual_seed(9)
    got = fn(model, loader, torch.optim.SGD(model.parameters(), lr=0.1))
    torch.manual_seed(9)
    optimizer, losses = torch.optim.SGD(twin.parameters(), lr=0.1), []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(twin(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    for (name, p), q in zip(model.named_parameters(), twin.parameters(), strict=True):
        close(p.detach(), q.detach(), f"parameter {name} after one epoch", atol=1e-6, rtol=1e-5)
    require(got is not None, "train_epoch returns None; return the mean batch loss")
    close(float(got), sum(losses) / len(losses), "the returned mean batch loss", atol=1e-6,
          rtol=1e-5)
    return "ok"
