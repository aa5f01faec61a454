"""HW7 probes: ``counting_params.py``, ``bn_remove.py`` and ``LNiN.py``."""

from __future__ import annotations

import torch
from torch import nn

from ._common import ProbeFailed, attr, digest, fill_, floats, pair, shapes_of, tensor


def small_network(spec) -> nn.Module:
    c_in, c1, c2, hidden = spec["c_in"], spec["c1"], spec["c2"], spec["hidden"]
    return nn.Sequential(nn.Conv2d(c_in, c1, 3, stride=2, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(c1, c2, 2), nn.Flatten(),
                         nn.Linear(c2 * 3 * 3, hidden))


def _counts(got, what: str) -> dict[str, int]:
    if not isinstance(got, dict):
        raise ProbeFailed(f"count_macs must return a dict, got {type(got).__name__} ({what})")
    return {str(k): int(v) for k, v in got.items()}


def structure(model: nn.Module) -> list[list]:
    """(name, kind, in, out, kernel, stride, padding) of every Conv2d and Linear layer."""
    rows = []
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            rows.append([name, "conv", m.in_channels, m.out_channels, m.kernel_size[0],
                         m.stride[0], m.padding[0]])
        elif isinstance(m, nn.Linear):
            rows.append([name, "linear", m.in_features, m.out_features, 0, 0, 0])
    return rows


def count_macs(mod, req):
    fn = attr(mod, "count_macs")
    small = _counts(fn(small_network(req), (req["c_in"], 16, 16)), "small network")
    model = attr(mod, "alexnet")()
    return {"small": small, "alexnet_layers": structure(model),
            "alexnet": _counts(fn(model, (3, 227, 227)), "AlexNet")}


def fold(mod, req):
    fn = attr(mod, "fold")
    out = []
    for case in req["cases"]:
        if case["kind"] == "conv":
            layer, bn = nn.Conv2d(3, 6, 3, padding=1), nn.BatchNorm2d(6)
        else:
            layer, bn = nn.Linear(12, 5), nn.BatchNorm1d(5)
        layer, bn = layer.double(), bn.double()
        with torch.no_grad():
            layer.weight.copy_(tensor(case["weight"]))
            layer.bias.copy_(tensor(case["bias"]))
            for key in ("running_mean", "running_var"):
                getattr(bn, key).copy_(tensor(case[key]))
            bn.weight.copy_(tensor(case["gamma"]))
            bn.bias.copy_(tensor(case["beta"]))
        bn.eval()
        weight, bias = pair(fn(layer, bn), 2, "fold must return (weight, bias)")
        out.append({"weight": floats(weight, "the folded weight"),
                    "bias": floats(bias, "the folded bias")})
    return {"cases": out}


def copy_weights_from(mod, req):
    torch.manual_seed(req["seed"])
    net1, net2 = attr(mod, "Net1")(req["width"]), attr(mod, "Net2")(req["width"])
    net1, net2 = net1.double(), net2.double()
    net1_shapes = [list(s) for s in fill_(net1, req["fill_seed"])]
    net2.copy_weights_from(net1)
    with torch.no_grad():
        small = floats(net2(tensor(req["x"])), "Net2(x)")
        big = floats(net2(tensor(req["big"])), "Net2(big)")
    return {"net1_shapes": net1_shapes, "net2_shapes": shapes_of(net2),
            "net2_digest": digest([p for _, p in net2.named_parameters()]),
            "small": small, "big": big}
