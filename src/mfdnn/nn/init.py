"""Weight initialisation: LeCun, Xavier / Glorot and Kaiming / He (Chapter 3b).

For a layer y = A x + b with n_in inputs and n_out outputs (a convolution has
n_in = C_in k_1 k_2 and n_out = C_out k_1 k_2), A_ij ~ N(0, sigma^2) and b = 0 give

    Var(y_i) = n_in sigma^2 Var(x)          (forward)
    Var(dL/dx_j) = n_out sigma^2 Var(dL/dy)  (backward)

so keeping the variance from layer to layer asks for

    LeCun (tanh, forward):       sigma^2 = 1 / n_in
    Xavier / Glorot (a compromise): sigma^2 = 2 / (n_in + n_out)
    He / Kaiming (ReLU halves the second moment): sigma^2 = 2 / n_in  (or 2 / n_out)

The uniform versions draw U[-a, a] with a = sqrt(3) sigma (same variance). PyTorch's
default for Linear / Conv2d is U[+-1/sqrt(n_in)] for weights and biases, variance
1 / (3 n_in) (HW6 P2).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

SCHEMES = ("default", "lecun", "xavier", "xavier_uniform", "he", "he_fan_out", "normal")


def fans(weight: Tensor) -> tuple[int, int]:
    """(n_in, n_out) of a Linear (out x in) or conv (C_out x C_in/groups x k x ...) weight."""
    if weight.dim() < 2:
        raise ValueError("fans need a weight with at least 2 dimensions")
    receptive = math.prod(weight.shape[2:])  # k_1 k_2 for a 2-D conv, 1 for a Linear
    return weight.shape[1] * receptive, weight.shape[0] * receptive


def scheme_std(weight: Tensor, scheme: str, std: float | None = None) -> float:
    """The standard deviation ``scheme`` prescribes for ``weight``."""
    n_in, n_out = fans(weight)
    if scheme == "lecun":
        return math.sqrt(1 / n_in)
    if scheme in ("xavier", "xavier_uniform"):
        return math.sqrt(2 / (n_in + n_out))
    if scheme == "he":
        return math.sqrt(2 / n_in)
    if scheme == "he_fan_out":
        return math.sqrt(2 / n_out)
    if scheme == "normal":
        if std is None:
            raise ValueError("scheme 'normal' needs std")
        return std
    raise ValueError(f"unknown init scheme {scheme!r}; choose from {', '.join(SCHEMES)}")


@torch.no_grad()
def init_weight_(weight: Tensor, scheme: str, std: float | None = None,
                 generator: torch.Generator | None = None) -> Tensor:
    """Draw ``weight`` in place: N(0, sigma^2), or U[-sqrt(3) sigma, sqrt(3) sigma] for
    ``xavier_uniform``."""
    sigma = scheme_std(weight, scheme, std)
    if scheme == "xavier_uniform":
        bound = math.sqrt(3) * sigma
        return weight.uniform_(-bound, bound, generator=generator)
    return weight.normal_(0.0, sigma, generator=generator)


def lecun_normal_(weight: Tensor, generator: torch.Generator | None = None) -> Tensor:
    """A ~ N(0, 1 / n_in)."""
    return init_weight_(weight, "lecun", generator=generator)


def xavier_normal_(weight: Tensor, generator: torch.Generator | None = None) -> Tensor:
    """A ~ N(0, 2 / (n_in + n_out))."""
    return init_weight_(weight, "xavier", generator=generator)


def he_normal_(weight: Tensor, mode: str = "fan_in",
               generator: torch.Generator | None = None) -> Tensor:
    """A ~ N(0, 2 / n_in), or N(0, 2 / n_out) with ``mode="fan_out"``."""
    return init_weight_(weight, "he" if mode == "fan_in" else "he_fan_out", generator=generator)


def init_model(model: nn.Module, scheme: str, std: float | None = None,
               generator: torch.Generator | None = None,
               layers: tuple[type, ...] = (nn.Linear, nn.Conv1d, nn.Conv2d)) -> nn.Module:
    """Initialise every ``layers`` weight of ``model`` by ``scheme`` and zero its bias, in
    module order; ``default`` leaves PyTorch's initialisation alone."""
    if scheme == "default":
        return model
    for module in model.modules():
        if isinstance(module, layers):
            init_weight_(module.weight, scheme, std, generator)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
