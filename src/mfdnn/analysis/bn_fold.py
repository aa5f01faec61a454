"""Folding an eval-mode BatchNorm into the convolution or linear layer before it (HW7 P3).

In eval mode BatchNorm is a fixed affine map per channel (or feature) c:

    BN(z)_c = gamma_c (z_c - mu_c) / sqrt(sigma_c^2 + eps) + beta_c

so BN(W x + b) is again a conv / linear layer with, per output channel (row) c,

    W'_c = W_c * gamma_c / sqrt(sigma_c^2 + eps)
    b'_c = (b_c - mu_c) * gamma_c / sqrt(sigma_c^2 + eps) + beta_c

The new weights are computed in float64 and cast back, because the identity is checked at
the 1e-8 level (HW7 P3) and float32 arithmetic in the fold would eat most of that margin.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

_BN = nn.BatchNorm1d | nn.BatchNorm2d | nn.BatchNorm3d


def folded_weight_and_bias(layer: nn.Conv2d | nn.Linear, bn: _BN
                           ) -> tuple[torch.Tensor, torch.Tensor]:
    """W' and b' of ``bn(layer(x))`` (BN in eval mode), in float64."""
    if bn.running_mean is None or bn.running_var is None:
        raise ValueError("BatchNorm without running statistics cannot be folded")
    if layer.weight.shape[0] != bn.num_features:
        raise ValueError(f"{layer} has {layer.weight.shape[0]} outputs, {bn} normalises "
                         f"{bn.num_features}")
    W = layer.weight.detach().double()
    b = (layer.bias.detach().double() if layer.bias is not None
         else torch.zeros(W.shape[0], dtype=torch.float64, device=W.device))
    gamma = bn.weight.detach().double() if bn.affine else torch.ones_like(b)
    beta = bn.bias.detach().double() if bn.affine else torch.zeros_like(b)
    scale = gamma / torch.sqrt(bn.running_var.double() + bn.eps)  # gamma / sqrt(sigma^2 + eps)
    W_new = W * scale.reshape(-1, *([1] * (W.dim() - 1)))  # W'_c = W_c * scale_c
    b_new = (b - bn.running_mean.double()) * scale + beta  # b' = (b - mu) scale + beta
    return W_new, b_new


def fold_batchnorm(layer: nn.Conv2d | nn.Linear, bn: _BN) -> nn.Conv2d | nn.Linear:
    """A copy of ``layer`` (with a bias) that computes ``bn(layer(x))`` for BN in eval mode."""
    W_new, b_new = folded_weight_and_bias(layer, bn)
    folded = copy.deepcopy(layer)
    if folded.bias is None:
        folded.bias = nn.Parameter(torch.empty(W_new.shape[0], dtype=layer.weight.dtype,
                                               device=layer.weight.device))
    with torch.no_grad():
        folded.weight.copy_(W_new.to(layer.weight.dtype))
        folded.bias.copy_(b_new.to(layer.weight.dtype))
    return folded


def copy_folded(target: nn.Conv2d | nn.Linear, layer: nn.Conv2d | nn.Linear, bn: _BN) -> None:
    """Write the folded weight and bias of ``bn(layer(x))`` into ``target`` (same shape)."""
    W_new, b_new = folded_weight_and_bias(layer, bn)
    with torch.no_grad():
        target.weight.copy_(W_new.to(target.weight.dtype))
        target.bias.copy_(b_new.to(target.bias.dtype))
