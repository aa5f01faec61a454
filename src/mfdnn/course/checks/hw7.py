"""HW7 checks: ``counting_params.py`` (multiply-adds against the formula per layer),
``bn_remove.py`` (folding is exact in eval mode, float64) and ``LNiN.py`` (FC as conv on a
width-scaled copy: equal outputs, the sliding-window equivalence and Net2's parameters)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import array, close, field, items, require, shown, text
from mfdnn.course.probes._common import digest, fill_

CHECKS: list[Check] = []


def conv_out(size: int, k: int, s: int, p: int) -> int:
    """floor((W - F + 2P) / S) + 1."""
    return (size - k + 2 * p) // s + 1


# the course's AlexNet (counting_params.py's given alexnet()): name, kind, in, out, kernel,
# stride, padding of every counted layer, and each convolution's output side for 227 x 227
ALEXNET = [["0", "conv", 3, 64, 11, 4, 0], ["3", "conv", 64, 192, 5, 1, 2],
           ["6", "conv", 192, 384, 3, 1, 1], ["8", "conv", 384, 256, 3, 1, 1],
           ["10", "conv", 256, 256, 3, 1, 1], ["16", "linear", 9216, 4096, 0, 0, 0],
           ["19", "linear", 4096, 4096, 0, 0, 0], ["21", "linear", 4096, 1000, 0, 0, 0]]
ALEXNET_SIDES = {"0": 55, "3": 27, "6": 13, "8": 13, "10": 13}


def macs(rows: list[list], sides: dict[str, int]) -> dict[str, int]:
    """H_out W_out C_out C_in k^2 per convolution, in * out per linear layer."""
    return {name: (sides[name] ** 2 * c_out * c_in * k * k if kind == "conv" else c_in * c_out)
            for name, kind, c_in, c_out, k, _, _ in rows}


@check("counting_params.py", 30, "count_macs: H_out W_out C_out C_in k^2 per conv and "
       "in*out per linear layer, for AlexNet and a small network", registry=CHECKS)
def count_macs(rng: np.random.RandomState) -> Case:
    c_in, c1, c2, hidden = (int(v) for v in (rng.randint(1, 4), rng.randint(2, 7),
                                             rng.randint(2, 7), rng.randint(3, 12)))
    h = conv_out(16, 3, 2, 1)  # 8, pooled to 4, then conv 2 -> 3
    want_small = {"0": h * h * c1 * c_in * 9, "3": 3 * 3 * c2 * c1 * 4, "5": c2 * 9 * hidden}
    want = macs(ALEXNET, ALEXNET_SIDES)
    conv_share = sum(v for k, v in want.items() if k in ALEXNET_SIDES) / sum(want.values())

    def verdict(answer) -> str:
        got = field(answer, "small")
        require(got == want_small, f"small network: {shown(got, 200)}, expected {want_small}")
        require(field(answer, "alexnet_layers") == ALEXNET, "alexnet() is not the course's "
                "AlexNet (its layers were changed)")
        got = field(answer, "alexnet")
        require(got == want, f"AlexNet: {shown(got, 300)}, expected {want}")
        return f"ok: convolutions do {conv_share:.1%} of AlexNet's work"

    return Case({"c_in": c_in, "c1": c1, "c2": c2, "hidden": hidden}, verdict)


def _bn_case(rng: np.random.RandomState, kind: str) -> dict:
    out, shape = (6, (6, 3, 3, 3)) if kind == "conv" else (5, (5, 12))
    fan_in = int(np.prod(shape[1:]))
    return {"kind": kind, "weight": rng.uniform(-1, 1, shape) / np.sqrt(fan_in),
            "bias": rng.uniform(-1, 1, out) / np.sqrt(fan_in), "running_mean": rng.randn(out),
            "running_var": rng.rand(out) + 0.3, "gamma": 1 + 0.3 * rng.randn(out),
            "beta": 0.3 * rng.randn(out)}


@check("bn_remove.py", 40, "fold: the folded conv and linear layers equal layer + BN in eval "
       "mode (squared difference < 1e-8, float64)", registry=CHECKS)
def fold(rng: np.random.RandomState) -> Case:
    cases = [_bn_case(rng, "conv"), _bn_case(rng, "linear")]
    xs = [torch.tensor(rng.rand(4, 3, 8, 8)), torch.tensor(rng.rand(4, 12))]
    wants, shapes = [], []
    for case, x in zip(cases, xs, strict=True):
        t = {k: torch.tensor(v) for k, v in case.items() if k != "kind"}
        conv = case["kind"] == "conv"
        y = (F.conv2d(x, t["weight"], t["bias"], padding=1) if conv
             else F.linear(x, t["weight"], t["bias"]))
        shape = (1, -1, 1, 1) if conv else (1, -1)
        scale = t["gamma"] / torch.sqrt(t["running_var"] + 1e-5)  # BN in eval mode, eps 1e-5
        wants.append((y - t["running_mean"].reshape(shape)) * scale.reshape(shape)
                     + t["beta"].reshape(shape))
        shapes.append((tuple(case["weight"].shape), tuple(case["bias"].shape)))

    def verdict(answer) -> str:
        got = items(field(answer, "cases"), "cases", len(cases))
        worst = 0.0
        for case, g, x, want, (w_shape, b_shape) in zip(cases, got, xs, wants, shapes,
                                                       strict=True):
            weight, bias = array(field(g, "weight"), "weight"), array(field(g, "bias"), "bias")
            require(weight.shape == w_shape and bias.shape == b_shape,
                    f"folded shapes {weight.shape}, {bias.shape}; expected {w_shape}, "
                    f"{b_shape}")
            weight, bias = torch.tensor(weight), torch.tensor(bias)
            folded = (F.conv2d(x, weight, bias, padding=1) if case["kind"] == "conv"
                      else F.linear(x, weight, bias))
            error = float((folded - want).pow(2).sum())
            worst = max(worst, error) if np.isfinite(error) else float("inf")
        require(worst < 1e-8, f"the folded layers differ from layer + BN: squared difference "
                f"{worst:.3g} (threshold 1e-8)")
        return f"ok: squared difference {worst:.2g}"

    return Case({"cases": cases}, verdict)


def features() -> nn.Sequential:
    """The course's LNiN.py feature extractor (32 -> 18 pixels)."""
    return nn.Sequential(
        nn.Conv2d(3, 64, 7), nn.ReLU(), nn.Conv2d(64, 192, 3), nn.ReLU(),
        nn.Conv2d(192, 384, 3), nn.ReLU(), nn.Conv2d(384, 256, 3), nn.ReLU(),
        nn.Conv2d(256, 256, 3))


def net1(width: int) -> nn.Sequential:
    """The course's Net1 as one Sequential: features, flatten, three linear layers."""
    return nn.Sequential(features(), nn.Flatten(), nn.Linear(256 * 18 * 18, width), nn.ReLU(),
                         nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 10))


def net2_parameters(reference: nn.Sequential, width: int) -> list[torch.Tensor]:
    """Net2's parameters after a correct copy: the features as they are, each linear weight
    reshaped to its convolution's (out, in, k, k), the biases as they are."""
    params = [p.detach() for p in reference[0].parameters()]
    for layer, k, c_in in ((reference[2], 18, 256), (reference[4], 1, width),
                           (reference[6], 1, width)):
        params += [layer.weight.detach().reshape(layer.out_features, c_in, k, k),
                   layer.bias.detach()]
    return params


WINDOWS = ((0, 0), (4, 6), (2, 3))


@check("LNiN.py", 30, "Net2.copy_weights_from: Net2 equals Net1 on 32x32 images and is Net1 "
       "slid over every 32x32 window of a 36x38 image (width-scaled copy)", registry=CHECKS)
def copy_weights_from(rng: np.random.RandomState) -> Case:
    width, seed, fill_seed = 16, int(rng.randint(2**31)), int(rng.randint(2**31))
    x, big = rng.rand(3, 3, 32, 32), rng.rand(1, 3, 36, 38)
    windows = [*WINDOWS, (int(rng.randint(5)), int(rng.randint(7)))]
    reference = net1(width).double()
    shapes = [list(s) for s in fill_(reference, fill_seed)]
    net2_shapes = [list(p.shape) for p in net2_parameters(reference, width)]
    with torch.no_grad():
        want_small = reference(torch.tensor(x))
        want_windows = [reference(torch.tensor(big[:, :, i:i + 32, j:j + 32]))
                        for i, j in windows]
    want_digest = digest(net2_parameters(reference, width))

    def verdict(answer) -> str:
        require(field(answer, "net1_shapes") == shapes, "Net1 is not the course's network "
                "(its parameters were changed)")
        require(field(answer, "net2_shapes") == net2_shapes, "Net2 is not the course's "
                "network (its parameters were changed)")
        small = array(field(answer, "small"), "small")
        require(small.size == 30, f"Net2 on 3 32x32 images gives {small.shape}")
        close(small.reshape(3, 10), want_small, "Net2 vs Net1 on 32x32 images", atol=1e-10)
        out = array(field(answer, "big"), "big")
        require(out.shape == (1, 10, 5, 7), f"Net2 on 36x38 gives {out.shape}")
        for (i, j), want in zip(windows, want_windows, strict=True):
            close(out[:, :, i, j], want, f"window at ({i}, {j})", atol=1e-10)
        require(text(field(answer, "net2_digest"), "digest") == want_digest,
                "Net2's parameters are not Net1's (features as they are, linear weights "
                "reshaped, biases copied)")
        return "ok"

    return Case({"width": width, "seed": seed, "fill_seed": fill_seed, "x": x, "big": big},
                verdict)
