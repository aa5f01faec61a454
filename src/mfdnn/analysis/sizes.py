"""Output sizes and receptive fields of convolution / pooling chains.

Output size (Chapter 3a), for input size W, kernel F, padding P, stride S, dilation D:

    W_out = floor((W + 2P - D (F - 1) - 1) / S) + 1      (= floor((W - F + 2P) / S) + 1 at D = 1)

Receptive field of a chain of layers (the standard recursion over layers l = 1, 2, ...):

    r_l = r_{l-1} + (F_l - 1) * j_{l-1}        size of the field, in input pixels
    j_l = j_{l-1} * S_l                         distance between neighbouring outputs
    s_l = s_{l-1} + ((F_l - 1) / 2 - P_l) * j_{l-1}   centre of output 0, in input pixels

with r_0 = j_0 = 1 and s_0 = 0 (dilated kernels use F = D (F - 1) + 1). Output i then
sees input pixels [s + i j - (r - 1)/2, s + i j + (r - 1)/2] away from the border;
:func:`input_window` gives the exact window with the borders of every layer taken into
account, and :func:`input_support` finds the same pixels from the nonzeros of an autograd
gradient.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1, ceil_mode: bool = False) -> int:
    """floor((W + 2P - D(F - 1) - 1) / S) + 1; ``ceil_mode`` rounds up like the pools do."""
    span = size + 2 * padding - dilation * (kernel_size - 1) - 1
    if span < 0:
        raise ValueError(f"kernel {kernel_size} (dilation {dilation}) does not fit in "
                         f"{size} + 2*{padding}")
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1  # PyTorch: the last window must start inside the input or the left padding
    return out


@dataclass(frozen=True)
class Field:
    """Receptive field of one output of a chain: size ``r``, jump ``j``, centre ``start``."""

    size: int
    jump: int
    start: float


def _geometry(layer: nn.Module) -> tuple[int, int, int, int] | None:
    """(kernel, stride, padding, dilation) along one axis, or None for pointwise layers."""
    if isinstance(layer, nn.Conv2d | nn.MaxPool2d | nn.AvgPool2d):
        def first(v):
            return v[0] if isinstance(v, tuple) else v
        return (first(layer.kernel_size), first(layer.stride) or first(layer.kernel_size),
                first(layer.padding), first(getattr(layer, "dilation", 1)))
    return None


def receptive_field(layers: list[nn.Module] | nn.Sequential) -> Field:
    """Receptive field of the output of a chain of conv / pooling layers (square kernels);
    pointwise layers (activations, BatchNorm, dropout) leave it unchanged.

    The field is the span [lo, hi] of the input pixels an output can see; every pixel of the
    span is seen when no kernel is narrower than its stride (with a 1 x 1 kernel of stride
    2, say, the odd pixels are skipped and the field has gaps)."""
    r, j, s = 1, 1, 0.0
    for layer in layers:
        geometry = _geometry(layer)
        if geometry is None:
            continue
        k, stride, pad, dil = geometry
        k = dil * (k - 1) + 1
        r, s, j = r + (k - 1) * j, s + ((k - 1) / 2 - pad) * j, j * stride
    return Field(r, j, s)


def input_window(layers: list[nn.Module] | nn.Sequential, index: int, size: int
                 ) -> tuple[int, int]:
    """Input pixels [lo, hi] (inclusive, along one axis of a ``size``-pixel image) that
    output ``index`` of the chain depends on.

    The window is walked back layer by layer: outputs [a, b] of a layer with kernel F
    (dilated), stride S and padding P read its inputs [a S - P, b S - P + F - 1], clipped to
    that layer's own input. Clipping at every layer, not only at the image, matters where a
    stride drops the last pixels of a layer's input (24 pixels, kernel 3, stride 2: pixel 23
    is never read), so the recursion's field of :func:`receptive_field`, clipped at the
    image border only, would reach one pixel too far there."""
    geometry = []
    for layer in layers:
        g = _geometry(layer)
        if g is not None:
            k, stride, pad, dil = g
            ceil = bool(getattr(layer, "ceil_mode", False))
            geometry.append((size, dil * (k - 1) + 1, stride, pad))
            size = conv_output_size(size, k, stride, pad, dil, ceil)
    lo, hi = index, index
    for n, k, stride, pad in reversed(geometry):
        lo, hi = max(0, lo * stride - pad), min(n - 1, hi * stride - pad + k - 1)
    return lo, hi


def _max_to_avg(model: nn.Module) -> None:
    """Replace every ``MaxPool2d`` by the ``AvgPool2d`` of the same window, in place."""
    for name, child in model.named_children():
        if isinstance(child, nn.MaxPool2d):
            setattr(model, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding,
                                              ceil_mode=child.ceil_mode))
        else:
            _max_to_avg(child)


def input_support(model: nn.Module, input_shape: tuple[int, ...], index: tuple[int, ...],
                  merge_channels: bool = True) -> torch.Tensor:
    """Boolean H x W mask of the input pixels (any channel) that output
    ``model(x)[0][index]`` depends on, from the nonzeros of its autograd gradient
    (C x H x W, one mask per input channel, with ``merge_channels=False``).

    The gradient of one input can hide part of the dependence, so it is taken on a copy of
    the model in which (1) every parameter is a positive random number and the input is
    positive, so no ReLU is inactive, and (2) every max-pool is the average pool of the same
    window: a max depends on every entry of its window, but its gradient flows to the
    largest one only. The support of this gradient is then the whole receptive field."""
    probe = copy.deepcopy(model).float().eval()
    _max_to_avg(probe)
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in probe.parameters():
            p.copy_(torch.rand(p.shape, generator=generator) + 0.1)
    x = (torch.rand(1, *input_shape, generator=generator) + 0.1).requires_grad_()
    (grad,) = torch.autograd.grad(probe(x)[0][index], x)
    support = grad[0] != 0
    return support.any(dim=0) if merge_channels else support


def support_box(mask: torch.Tensor) -> tuple[int, int, int, int]:
    """(row_lo, row_hi, col_lo, col_hi), inclusive, of the True entries of a 2-D mask."""
    rows = mask.any(dim=1).nonzero().flatten()
    cols = mask.any(dim=0).nonzero().flatten()
    return int(rows.min()), int(rows.max()), int(cols.min()), int(cols.max())
