"""HW3 checks: ``threelayerSGD.py`` (the custom initialisation, draw for draw, and one epoch
of minibatch SGD on MSE against the checker's loop)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import close, field, items, require, shown, texts

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
def build_model(rng: np.random.RandomState) -> Case:
    seed = int(rng.randint(2**31))
    x = np.linspace(-2, 2, 9).reshape(-1, 1)
    torch.manual_seed(seed)
    want = reference_model()
    want_params = [p.detach() for p in want.parameters()]
    with torch.no_grad():
        want_out = want(torch.tensor(x, dtype=torch.float32))

    def verdict(answer) -> str:
        names = texts(field(answer, "names"), "names")
        params = items(field(answer, "params"), "params", len(names))
        shapes = [tuple(p.shape) for p in params]
        require(shapes == [tuple(p.shape) for p in want_params],
                f"parameter shapes {shown(shapes, 120)}, expected (64,1), (64,), (64,64), "
                f"(64,), (1,64), (1,)")
        for name, p, q in zip(names, params, want_params, strict=True):
            close(p, q, f"{shown(name, 40)} (same seed, same draws)", atol=0)
        close(field(answer, "out"), want_out, "the network's output", atol=1e-6)
        return "ok: same parameters, draw for draw"

    return Case({"seed": seed, "x": x}, verdict)


@check("threelayerSGD.py", 50, "train_epoch: one shuffled epoch of SGD on MSE gives the "
       "checker's parameters and mean batch loss", registry=CHECKS)
def train_epoch(rng: np.random.RandomState) -> Case:
    init_seed, shuffle_seed = (int(s) for s in rng.randint(2**31, size=2))
    x = rng.randn(50, 1).astype(np.float32)
    y = ((x - 2) * np.cos(4 * x)).astype(np.float32)
    torch.manual_seed(init_seed)
    twin = nn.Sequential(nn.Linear(1, 8), nn.Sigmoid(), nn.Linear(8, 1))
    loader = DataLoader(TensorDataset(torch.tensor(x), torch.tensor(y)), batch_size=16,
                        shuffle=True)
    torch.manual_seed(shuffle_seed)
    optimizer, losses = torch.optim.SGD(twin.parameters(), lr=0.1), []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(twin(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    names = [name for name, _ in twin.named_parameters()]
    want = [p.detach().clone() for p in twin.parameters()]

    def verdict(answer) -> str:
        params = items(field(answer, "params"), "params")
        require(len(params) == len(want), f"the model has {len(params)} parameters after the "
                f"epoch, expected {len(want)}")
        for name, p, q in zip(names, params, want, strict=True):
            close(p, q, f"parameter {name} after one epoch", atol=1e-6, rtol=1e-5)
        loss = field(answer, "loss")
        require(loss is not None, "train_epoch returns None; return the mean batch loss")
        close(loss, sum(losses) / len(losses), "the returned mean batch loss", atol=1e-6,
              rtol=1e-5)
        return "ok"

    return Case({"init_seed": init_seed, "shuffle_seed": shuffle_seed, "x": x, "y": y,
                 "batch_size": 16, "lr": 0.1}, verdict)
