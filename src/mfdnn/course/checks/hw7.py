"""HW7 checks: ``counting_params.py`` (multiply-adds against the formula per layer),
``bn_remove.py`` (folding is exact in eval mode, float64) and ``LNiN.py`` (FC as conv on a
width-scaled copy: equal outputs, and the sliding-window equivalence)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


def conv_out(size: int, k: int, s: int, p: int) -> int:
    """floor((W - F + 2P) / S) + 1."""
    return (size - k + 2 * p) // s + 1


@check("counting_params.py", 30, "count_macs: H_out W_out C_out C_in k^2 per conv and "
       "in*out per linear layer, for AlexNet and a small network", registry=CHECKS)
def count_macs(mod) -> str:
    fn = attr(mod, "count_macs")
    small = nn.Sequential(nn.Conv2d(2, 4, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 5, 2), nn.Flatten(), nn.Linear(5 * 3 * 3, 7))
    h = conv_out(16, 3, 2, 1)  # 8, pooled to 4, then conv 2 -> 3
    want_small = {"0": h * h * 4 * 2 * 9, "3": 3 * 3 * 5 * 4 * 4, "5": 45 * 7}
    got = {str(k): int(v) for k, v in fn(small, (2, 16, 16)).items()}
    require(got == want_small, f"small network: {got}, expected {want_small}")
    model = attr(mod, "alexnet")()
    sizes = [55, 27, 13, 13, 13]  # conv outputs for 227 x 227
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    want = {}
    for (name, m) in model.named_modules():
        if isinstance(m, nn.Conv2d):
            s = sizes[convs.index(m)]
            want[name] = s * s * m.out_channels * m.in_channels * m.kernel_size[0] ** 2
        elif isinstance(m, nn.Linear):
            want[name] = m.in_features * m.out_features
    got = {str(k): int(v) for k, v in fn(model, (3, 227, 227)).items()}
    require(got == want, f"AlexNet: {got}, expected {want}")
    conv_share = sum(v for k, v in want.items() if k in {n for n, m in model.named_modules()
                                                          if isinstance(m, nn.Conv2d)})
    return f"ok: convolutions do {conv_share / sum(want.values()):.1%} of AlexNet's work"


def _random_bn(bn: nn.Module, g: torch.Generator) -> None:
    with torch.no_grad():
        n = bn.num_features
        bn.running_mean.copy_(torch.randn(n, generator=g))
        bn.running_var.copy_(torch.rand(n, generator=g) + 0.3)
        bn.weight.copy_(1 + 0.3 * torch.randn(n, generator=g))
        bn.bias.copy_(0.3 * torch.randn(n, generator=g))


@check("bn_remove.py", 40, "fold: the folded conv and linear layers equal layer + BN in eval "
       "mode (squared difference < 1e-8, float64)", registry=CHECKS)
def fold(mod) -> str:
    fn = attr(mod, "fold")
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    cases = [(nn.Conv2d(3, 6, 3, padding=1), nn.BatchNorm2d(6), torch.rand(4, 3, 8, 8)),
             (nn.Linear(12, 5), nn.BatchNorm1d(5), torch.rand(4, 12))]
    worst = 0.0
    for layer, bn, x in cases:
        _random_bn(bn, g)
        layer, bn, x = layer.double(), bn.double().eval(), x.double()
        result = fn(layer, bn)
        require(isinstance(result, tuple | list) and len(result) == 2,
                "fold must return (weight, bias)")
        weight, bias = (torch.as_tensor(t).double() for t in result)
        require(weight.shape == layer.weight.shape and bias.shape == layer.bias.shape,
                f"folded shapes {tuple(weight.shape)}, {tuple(bias.shape)}; expected "
                f"{tuple(layer.weight.shape)}, {tuple(layer.bias.shape)}")
        with torch.no_grad():
            want = bn(layer(x))
            got = (F.conv2d(x, weight, bias, padding=1) if isinstance(layer, nn.Conv2d)
                   else F.linear(x, weight, bias))
        worst = max(worst, (got - want).pow(2).sum().item())
    require(worst < 1e-8, f"the folded layers differ from layer + BN: squared difference "
            f"{worst:.3g} (threshold 1e-8)")
    return f"ok: squared difference {worst:.2g}"


@check("LNiN.py", 30, "Net2.copy_weights_from: Net2 equals Net1 on 32x32 images and is Net1 "
       "slid over every 32x32 window of a 36x38 image (width-scaled copy)", registry=CHECKS)
def copy_weights_from(mod) -> str:
    torch.manual_seed(0)
    net1, net2 = attr(mod, "Net1")(16), attr(mod, "Net2")(16)
    net1, net2 = net1.double(), net2.double()
    net2.copy_weights_from(net1)
    x = torch.rand(3, 3, 32, 32, dtype=torch.float64)
    with torch.no_grad():
        close(net2(x).reshape(3, 10), net1(x), "Net2 vs Net1 on 32x32 images", atol=1e-10)
        big = torch.rand(1, 3, 36, 38, dtype=torch.float64)
        out = net2(big)
        require(tuple(out.shape) == (1, 10, 5, 7), f"Net2 on 36x38 gives {tuple(out.shape)}")
        for i, j in ((0, 0), (4, 6), (2, 3)):
            close(out[:, :, i, j], net1(big[:, :, i:i + 32, j:j + 32]),
                  f"window at ({i}, {j})", atol=1e-10)
    return "ok"
