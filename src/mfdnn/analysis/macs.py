"""Forward multiply-add counts per layer, measured with forward hooks.

The course's convention (HW5 P5, HW7 P2): one multiply-add per use of a weight.

    Conv2d:  MACs = H_out * W_out * C_out * (C_in / groups) * k_h * k_w
    Linear:  MACs = n_in * n_out              (per sample, times any leading dims)

that is, (output positions) x (weights per output map): the weight count times the number
of places the weight is applied. Biases, pooling, normalisation and activations are not
counted. Counting multiplications and additions separately doubles every figure.

The hooks see only shapes, so a model built on the ``meta`` device (``with
torch.device("meta"): model = ...``) is counted at zero cost, even VGG-19 at 224 x 224.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from mfdnn.analysis.params import effective_numel

COUNTED = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)


@dataclass(frozen=True)
class LayerCost:
    """One counted layer: its name in the model, kind, output shape (per sample), counts."""

    name: str
    kind: str  # "conv" or "linear"
    output_shape: tuple[int, ...]
    params: int
    macs: int


def _positions(module: nn.Module, output: torch.Tensor) -> int:
    """How many times each weight is used for one sample: output pixels, or leading dims."""
    if isinstance(module, nn.Linear):
        return int(torch.Size(output.shape[1:-1]).numel())
    return int(torch.Size(output.shape[2:]).numel())


def _weights_per_position(module: nn.Module) -> int:
    """Effective weight entries per output position: C_out * C_in/g * k^2, or n_in * n_out."""
    return effective_numel(module, "weight", module.weight)


def layer_costs(model: nn.Module, input_shape: tuple[int, ...],
                device: torch.device | str | None = None) -> list[LayerCost]:
    """Run ``model`` once on zeros of shape ``(1, *input_shape)`` and record every conv and
    linear layer in the order it ran. ``device`` defaults to the model's (``meta`` is fine)."""
    if device is None:
        first = next(model.parameters(), None)
        device = first.device if first is not None else torch.device("cpu")
    costs: list[LayerCost] = []
    names = {m: n for n, m in model.named_modules()}

    def hook(module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        own = sum(effective_numel(module, n, p) for n, p in module.named_parameters(recurse=False))
        kind = "linear" if isinstance(module, nn.Linear) else "conv"
        costs.append(LayerCost(names[module], kind, tuple(output.shape[1:]), own,
                               _positions(module, output) * _weights_per_position(module)))

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, COUNTED)]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, *input_shape, device=device))
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return costs


def count_macs(model: nn.Module, input_shape: tuple[int, ...],
               device: torch.device | str | None = None) -> int:
    """Total forward multiply-adds of one sample (conv and linear layers)."""
    return sum(c.macs for c in layer_costs(model, input_shape, device))


def macs_by_kind(costs: list[LayerCost]) -> dict[str, int]:
    """Multiply-adds of the convolutions and of the linear layers."""
    return {kind: sum(c.macs for c in costs if c.kind == kind) for kind in ("conv", "linear")}


def conv2d_macs(in_channels: int, out_channels: int, kernel_size: int, out_h: int, out_w: int,
                groups: int = 1) -> int:
    """H_out * W_out * C_out * (C_in / groups) * k^2."""
    return out_h * out_w * out_channels * (in_channels // groups) * kernel_size**2


def linear_macs(in_features: int, out_features: int) -> int:
    """n_in * n_out."""
    return in_features * out_features


def count_activations(model: nn.Module, input_shape: tuple[int, ...],
                      kinds: tuple[type, ...] = (nn.ReLU,),
                      device: torch.device | str | None = None) -> int:
    """Activation-function evaluations for one sample: the output entries of every module of
    type ``kinds`` (HW5 P5's third count)."""
    if device is None:
        first = next(model.parameters(), None)
        device = first.device if first is not None else torch.device("cpu")
    total = 0

    def hook(module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        nonlocal total
        total += output[0].numel()

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, kinds)]
    try:
        with torch.no_grad():
            model(torch.zeros(1, *input_shape, device=device))
    finally:
        for h in handles:
            h.remove()
    return total
