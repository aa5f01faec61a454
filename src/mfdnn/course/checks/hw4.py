"""HW4 checks: ``lenet_original.py``.

The sparse C3 check recovers each output map's kernel from autograd (the map is affine in its
input, so the gradient of one output pixel is the kernel) and then requires the whole map to
equal that 5 x 5 valid convolution over exactly the input maps of LeCun's Table 1
(``mfdnn.models.lenet.C3_TABLE``); the judge runs the convolutions. The training checks replay
the same batches (same seeds) through the checker's own loop and compare the parameters.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import (
    CheckFailed,
    array,
    close,
    field,
    integer,
    items,
    number,
    require,
)
from mfdnn.models.lenet import C3_TABLE, c3_param_count

CHECKS: list[Check] = []


@check("lenet_original.py", 40, "SparseC3: 16 maps, each a 5x5 convolution of exactly the S2 "
       "maps of LeCun's table, 1,516 parameters", registry=CHECKS)
def sparse_c3(rng: np.random.RandomState) -> Case:
    x = rng.randn(2, 6, 14, 14)
    xt = torch.tensor(x)

    def verdict(answer) -> str:
        n_params = integer(field(answer, "n_params"), "n_params")
        require(n_params == c3_param_count("sparse"),
                f"SparseC3 has {n_params} trainable parameters, expected "
                f"{c3_param_count('sparse')} (sum over maps of inputs*25 + 1 bias)")
        out = array(field(answer, "out"), "out")
        require(out.shape == (2, 16, 10, 10),
                f"SparseC3 output shape {out.shape}, expected (2, 16, 10, 10)")
        kernels = items(field(answer, "kernels"), "kernels", 16)
        biases = items(field(answer, "biases"), "biases", 16)
        for o, inputs in enumerate(C3_TABLE):
            weight = array(kernels[o], "a kernel")
            if weight.shape != (6, 5, 5):
                raise CheckFailed(f"C3 map {o}: kernel shape {weight.shape}")
            reads = [c for c in range(6) if np.abs(weight[c]).max() > 0]
            require(reads == list(inputs), f"C3 map {o} reads S2 maps {reads}, expected "
                    f"{list(inputs)}")
            bias = torch.tensor([number(biases[o], "a bias")], dtype=torch.float64)
            want = F.conv2d(xt, torch.tensor(weight)[None], bias)
            close(out[:, o:o + 1], want, f"C3 map {o} (a 5x5 valid convolution)", atol=1e-10)
        return "ok: Table 1 connections, 1,516 parameters"

    return Case({"seed": int(rng.randint(2**31)), "x": x}, verdict)


@check("lenet_original.py", 20, "count_parameters counts exactly the trainable parameters",
       registry=CHECKS)
def count_parameters(rng: np.random.RandomState) -> Case:
    c_in, c_out, features, hidden = (int(v) for v in (rng.randint(1, 5), rng.randint(2, 7),
                                                      rng.randint(10, 31), rng.randint(3, 10)))
    conv_weight = c_in * c_out * 9
    full = conv_weight + c_out + features * hidden + hidden + hidden * 2 + 2

    def verdict(answer) -> str:
        got = array(field(answer, "full"), "full")
        require(got.shape == () and int(got) == full,
                f"count_parameters gives {got.tolist()} for a small network with {full}")
        got = array(field(answer, "frozen"), "frozen")
        require(got.shape == () and int(got) == full - conv_weight,
                "count_parameters counts a frozen weight (requires_grad=False)")
        return "ok"

    return Case({"c_in": c_in, "c_out": c_out, "features": features, "hidden": hidden},
                verdict)


def _data(n: int, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    return rng.randn(n, 1, 4, 4).astype(np.float32), rng.randint(0, 3, n).astype(np.int64)


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
def train_one_epoch(rng: np.random.RandomState) -> Case:
    init_seed, shuffle_seed = (int(s) for s in rng.randint(2**31, size=2))
    images, labels = _data(50, rng)
    torch.manual_seed(init_seed)
    twin = nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3))
    loader = DataLoader(TensorDataset(torch.tensor(images), torch.tensor(labels)),
                        batch_size=16, shuffle=True)
    torch.manual_seed(shuffle_seed)
    want = _reference_epoch(twin, loader, torch.optim.SGD(twin.parameters(), lr=0.1))
    names = [name for name, _ in twin.named_parameters()]
    params = [p.detach().clone() for p in twin.parameters()]

    def verdict(answer) -> str:
        got = items(field(answer, "params"), "params")
        require(len(got) == len(params), f"the model has {len(got)} parameters after the "
                f"epoch, expected {len(params)}")
        for name, p, q in zip(names, got, params, strict=True):
            close(p, q, f"parameter {name} after one epoch", atol=1e-6, rtol=1e-5)
        loss = field(answer, "loss")
        require(loss is not None, "train_one_epoch returns None; return the mean batch loss")
        close(loss, want, "the returned mean batch loss", atol=1e-6, rtol=1e-5)
        return "ok: same parameters as the checker's epoch"

    return Case({"init_seed": init_seed, "shuffle_seed": shuffle_seed, "images": images,
                 "labels": labels}, verdict)


@check("lenet_original.py", 15, "evaluate returns (mean cross-entropy over all images, "
       "accuracy)", registry=CHECKS)
def evaluate(rng: np.random.RandomState) -> Case:
    init_seed = int(rng.randint(2**31))
    images, labels = _data(50, rng)
    torch.manual_seed(init_seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
    with torch.no_grad():
        logits = model(torch.tensor(images))
        target = torch.tensor(labels)
        loss = F.cross_entropy(logits, target).item()
        accuracy = (logits.argmax(1) == target).double().mean().item()

    def verdict(answer) -> str:
        close(field(answer, "loss"), loss, "mean loss over all 50 images (batches of 16, 16, "
              "16, 2)", atol=1e-6, rtol=1e-5)
        close(field(answer, "accuracy"), accuracy, "accuracy", atol=1e-9)
        return "ok"

    return Case({"init_seed": init_seed, "images": images, "labels": labels}, verdict)

