"""HW4 checks: ``lenet_original.py``.

The sparse C3 check recovers each output map's kernel from autograd (the map is affine in its
input, so the gradient of one output pixel is the kernel) and then requires the whole map to
equal that 5 x 5 valid convolution over exactly the input maps of LeCun's Table 1
(``mfdnn.models.lenet.C3_TABLE``). The training checks replay the same batches (same seed)
through the checker's own loop and compare the parameters.
"""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require
from mfdnn.models.lenet import C3_TABLE, c3_param_count

CHECKS: list[Check] = []


@check("lenet_original.py", 40, "SparseC3: 16 maps, each a 5x5 convolution of exactly the S2 "
       "maps of LeCun's table, 1,516 parameters", registry=CHECKS)
def sparse_c3(mod) -> str:
    torch.manual_seed(0)
    layer = attr(mod, "SparseC3")()
    n_params = sum(p.numel() for p in layer.parameters() if p.requires_grad)
    require(n_params == c3_param_count("sparse"),
            f"SparseC3 has {n_params} trainable parameters, expected "
            f"{c3_param_count('sparse')} (sum over maps of inputs*25 + 1 bias)")
    x = torch.randn(2, 6, 14, 14, dtype=torch.float64)
    layer = layer.double()
    out = layer(x)
    require(tuple(out.shape) == (2, 16, 10, 10),
            f"SparseC3 output shape {tuple(out.shape)}, expected (2, 16, 10, 10)")
    for o, inputs in enumerate(C3_TABLE):
        probe = torch.zeros(1, 6, 14, 14, dtype=torch.float64, requires_grad=True)
        (grad,) = torch.autograd.grad(layer(probe)[0, o, 0, 0], probe)
        weight = grad[0, :, :5, :5]  # d out[o, 0, 0] / d x[c, i, j] = w[c, i, j]
        bias = layer(torch.zeros(1, 6, 14, 14, dtype=torch.float64))[0, o, 0, 0]
        reads = [c for c in range(6) if weight[c].abs().max() > 0]
        require(reads == list(inputs), f"C3 map {o} reads S2 maps {reads}, expected "
                f"{list(inputs)}")
        want = F.conv2d(x, weight[None], bias.detach()[None])
        close(out[:, o:o + 1].detach(), want, f"C3 map {o} (a 5x5 valid convolution)",
              atol=1e-10)
    return "ok: Table 1 connections, 1,516 parameters"


@check("lenet_original.py", 20, "count_parameters counts exactly the trainable parameters",
       registry=CHECKS)
def count_parameters(mod) -> str:
    count = attr(mod, "count_parameters")
    model = nn.Sequential(nn.Conv2d(3, 5, 3), nn.Flatten(), nn.Linear(20, 7), nn.Linear(7, 2))
    require(int(count(model)) == 3 * 5 * 9 + 5 + 20 * 7 + 7 + 7 * 2 + 2,
            f"count_parameters gives {count(model)} for a small network with "
            f"{3 * 5 * 9 + 5 + 20 * 7 + 7 + 7 * 2 + 2}")
    model[0].weight.requires_grad_(False)
    require(int(count(model)) == 5 + 20 * 7 + 7 + 7 * 2 + 2,
            "count_parameters counts a frozen weight (requires_grad=False)")
    return "ok"


def _data(n: int, seed: int) -> TensorDataset:
    g = torch.Generator().manual_seed(seed)
    return TensorDataset(torch.randn(n, 1, 4, 4, generator=g),
                         torch.randint(0, 3, (n,), generator=g))


def _reference_epoch(model: nn.Module, loader: DataLoader, optimizer) -> float:
    model.train()
    losses = []
    for images, labels in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)


@check("lenet_original.py", 25, "train_one_epoch: one shuffled epoch of SGD on cross-entropy "
       "gives the checker's parameters and mean batch loss", registry=CHECKS)
def train_one_epoch(mod) -> str:
    train = attr(mod, "train_one_epoch")
    torch.manual_seed(1)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3))
    twin = copy.deepcopy(model)
    loader = DataLoader(_data(50, 0), batch_size=16, shuffle=True)
    torch.manual_seed(5)
    got = train(model, loader, torch.optim.SGD(model.parameters(), lr=0.1))
    torch.manual_seed(5)
    want = _reference_epoch(twin, loader, torch.optim.SGD(twin.parameters(), lr=0.1))
    for (name, p), q in zip(model.named_parameters(), twin.parameters(), strict=True):
        close(p.detach(), q.detach(), f"parameter {name} after one epoch", atol=1e-6, rtol=1e-5)
    require(got is not None, "train_one_epoch returns None; return the mean batch loss")
    close(float(got), want, "the returned mean batch loss", atol=1e-6, rtol=1e-5)
    return "ok: same parameters as the checker's epoch"


@check("lenet_original.py", 15, "evaluate returns (mean cross-entropy over all images, "
       "accuracy)", registry=CHECKS)
def evaluate(mod) -> str:
    fn = attr(mod, "evaluate")
    torch.manual_seed(2)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
    dataset = _data(50, 1)
    result = fn(model, DataLoader(dataset, batch_size=16))
    require(isinstance(result, tuple | list) and len(result) == 2,
            "evaluate must return (loss, accuracy)")
    with torch.no_grad():
        logits = model(dataset.tensors[0])
        loss = F.cross_entropy(logits, dataset.tensors[1]).item()
        accuracy = (logits.argmax(1) == dataset.tensors[1]).double().mean().item()
    close(float(result[0]), loss, "mean loss over all 50 images (batches of 16, 16, 16, 2)",
          atol=1e-6, rtol=1e-5)
    close(float(result[1]), accuracy, "accuracy", atol=1e-9)
    return "ok"
