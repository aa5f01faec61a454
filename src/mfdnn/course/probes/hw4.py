"""HW4 probes: ``lenet_original.py``."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from ._common import attr, floats, ints, number, pair, tensor


def sparse_c3(mod, req):
    """The layer's parameter count, its output on the judge's x, and each map's kernel and
    bias recovered by autograd (the map is affine in its input)."""
    torch.manual_seed(req["seed"])
    layer = attr(mod, "SparseC3")()
    n_params = int(sum(p.numel() for p in layer.parameters() if p.requires_grad))
    layer = layer.double()
    out = floats(layer(tensor(req["x"])), "SparseC3()(x)")
    kernels, biases = None, None
    if out.shape == (2, 16, 10, 10):
        kernels, biases = [], []
        for o in range(16):
            probe = torch.zeros(1, 6, 14, 14, dtype=torch.float64, requires_grad=True)
            (grad,) = torch.autograd.grad(layer(probe)[0, o, 0, 0], probe)
            kernels.append(floats(grad[0, :, :5, :5], "a kernel"))  # d out / d x = w
            with torch.no_grad():
                biases.append(number(layer(torch.zeros(1, 6, 14, 14, dtype=torch.float64))
                                     [0, o, 0, 0], "a bias"))
    return {"n_params": n_params, "out": out, "kernels": kernels, "biases": biases}


def small_network(spec) -> nn.Module:
    return nn.Sequential(nn.Conv2d(spec["c_in"], spec["c_out"], 3), nn.Flatten(),
                         nn.Linear(spec["features"], spec["hidden"]), nn.Linear(spec["hidden"], 2))


def count_parameters(mod, req):
    count = attr(mod, "count_parameters")
    model = small_network(req)
    full = ints(count(model), "count_parameters(model)")
    model[0].weight.requires_grad_(False)
    frozen = ints(count(model), "count_parameters(model)")
    return {"full": full, "frozen": frozen}


def classifier(seed: int, layers: str) -> nn.Module:
    torch.manual_seed(seed)
    if layers == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3))
    return nn.Sequential(nn.Flatten(), nn.Linear(16, 3))


def train_one_epoch(mod, req):
    train = attr(mod, "train_one_epoch")
    model = classifier(req["init_seed"], "mlp")
    dataset = TensorDataset(tensor(req["images"], "float32"), tensor(req["labels"], "int64"))
    loader = DataLoader(dataset, batch_size=16, shuffle=True)
    torch.manual_seed(req["shuffle_seed"])
    got = train(model, loader, torch.optim.SGD(model.parameters(), lr=0.1))
    return {"params": [floats(p, name) for name, p in model.named_parameters()],
            "loss": None if got is None else number(got, "the returned loss")}


def evaluate(mod, req):
    fn = attr(mod, "evaluate")
    model = classifier(req["init_seed"], "linear")
    dataset = TensorDataset(tensor(req["images"], "float32"), tensor(req["labels"], "int64"))
    result = pair(fn(model, DataLoader(dataset, batch_size=16)), 2,
                  "evaluate must return (loss, accuracy)")
    return {"loss": number(result[0], "the loss"), "accuracy": number(result[1], "accuracy")}
