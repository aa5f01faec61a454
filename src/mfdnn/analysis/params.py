"""Counting parameters.

A layer's trainable parameters are the entries of its tensors with ``requires_grad``. A
weight that is multiplied by a fixed 0/1 mask (the masked C3 of LeNet-5, or a
``torch.nn.utils.prune`` weight with its ``weight_mask`` buffer) counts only its unmasked
entries: those are the parameters the layer really has.

Hand formulas (Chapter 3a):

    Conv2d(C_in, C_out, k, groups=g):  C_out * (C_in / g) * k^2  (+ C_out for the bias)
    Linear(n_in, n_out):               n_out * n_in              (+ n_out for the bias)
    BatchNorm(C):                      2 C  (gamma, beta; the running statistics are buffers)
"""

from __future__ import annotations

from torch import Tensor, nn


def weight_mask(module: nn.Module, name: str) -> Tensor | None:
    """The fixed 0/1 mask multiplying parameter ``name`` of ``module``, if it has one.

    Recognises ``<name>_mask`` buffers (``torch.nn.utils.prune``) and a ``mask`` buffer for
    ``weight`` (the masked C3 of LeNet-5).
    """
    mask = getattr(module, f"{name}_mask", None)
    if mask is None and name == "weight":
        mask = getattr(module, "mask", None)
    return mask if isinstance(mask, Tensor) else None


def effective_numel(module: nn.Module, name: str, p: Tensor) -> int:
    """Entries of parameter ``p`` (called ``name`` in ``module``) that the mask leaves free."""
    mask = weight_mask(module, name)
    if mask is None:
        return p.numel()
    return int(mask.expand_as(p).count_nonzero().item())


def count_parameters(model: nn.Module) -> int:
    """Trainable parameters, counting a masked weight's zeros out (``MaskedC3``)."""
    return sum(effective_numel(module, name, p)
               for module in model.modules()
               for name, p in module.named_parameters(recurse=False)
               if p.requires_grad)


def conv2d_params(in_channels: int, out_channels: int, kernel_size: int | tuple[int, int],
                  groups: int = 1, bias: bool = True) -> int:
    """C_out * (C_in / groups) * k_h * k_w + C_out (the bias)."""
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * (in_channels // groups) * kh * kw + (out_channels if bias else 0)


def linear_params(in_features: int, out_features: int, bias: bool = True) -> int:
    """n_out * n_in + n_out (the bias)."""
    return out_features * in_features + (out_features if bias else 0)


def parameters_by_kind(model: nn.Module) -> dict[str, int]:
    """Parameters of the convolutions, the linear layers and everything else (norms)."""
    kinds = {"conv": 0, "linear": 0, "other": 0}
    for module in model.modules():
        own = sum(effective_numel(module, name, p)
                  for name, p in module.named_parameters(recurse=False) if p.requires_grad)
        if isinstance(module, nn.modules.conv._ConvNd):
            kinds["conv"] += own
        elif isinstance(module, nn.Linear):
            kinds["linear"] += own
        else:
            kinds["other"] += own
    return kinds
