"""HW3 probes: ``threelayerSGD.py``."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from ._common import attr, floats, number, tensor


def build_model(mod, req):
    torch.manual_seed(req["seed"])
    model = attr(mod, "build_model")()
    names, params = [], []
    for name, p in model.named_parameters():
        names.append(str(name))
        params.append(floats(p, name))
    with torch.no_grad():
        out = floats(model(tensor(req["x"], "float32")), "build_model()(x)")
    return {"names": names, "params": params, "out": out}


def small_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(1, 8), nn.Sigmoid(), nn.Linear(8, 1))


def train_epoch(mod, req):
    fn = attr(mod, "train_epoch")
    model = small_model(req["init_seed"])
    dataset = TensorDataset(tensor(req["x"], "float32"), tensor(req["y"], "float32"))
    loader = DataLoader(dataset, batch_size=req["batch_size"], shuffle=True)
    torch.manual_seed(req["shuffle_seed"])
    got = fn(model, loader, torch.optim.SGD(model.parameters(), lr=req["lr"]))
    return {"params": [floats(p, name) for name, p in model.named_parameters()],
            "loss": None if got is None else number(got, "the returned loss")}
