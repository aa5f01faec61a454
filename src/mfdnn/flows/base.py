"""The flow contract: a bijection z = f(x) with its log-determinant, and a base density.

Change of variables (Chapter 5.2):

    p_X(x) = p_Z(f(x)) |det Df(x)|,   log p_X(x) = log p_Z(f(x)) + log |det Df(x)|,

and for a composition f = f_k o ... o f_1 the log-determinants add. Sampling inverts:
x = f^{-1}(z) with z ~ p_Z.

Every flow here is a :class:`Flow` (an ``nn.Module``) with

* ``forward(x) -> z``                  the map x -> z, same batch size;
* ``forward_and_log_det(x) -> (z, ld)`` both at once, ``ld`` of shape (batch,);
* ``inverse(z) -> x``;
* ``log_det(x) -> ld``                 log |det Df(x)| per sample;
* ``log_prob(x)`` and ``sample(n)``    with the flow's ``prior`` (a :class:`StandardNormal`
  unless the flow says otherwise).

A subclass implements ``forward_and_log_det`` and ``inverse``; ``tests/flows`` checks every
flow against one shared contract (inverse(forward(x)) = x, and ``log_det`` equals the
log |det| of the autograd Jacobian).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def bits_per_dim(log_p: Tensor, dim: int, levels: int = 256) -> Tensor:
    """Bits per dimension of discrete data from the density of its dequantisation.

    For y = (k + u) / levels (or k / (levels - 1) + u / levels), u ~ U(0, 1)^D, the
    probability of the discrete k is at least p(y) / levels^D on average (Jensen), so
    bits/dim = (D log levels - log p(y)) / (D log 2).
    """
    return (dim * math.log(levels) - log_p) / (dim * math.log(2))


def sum_except_batch(t: Tensor) -> Tensor:
    """Sum over every dimension but the first: shape (B, ...) -> (B,)."""
    return t.reshape(len(t), -1).sum(1)


class StandardNormal(nn.Module):
    """N(0, I) over an event of shape ``shape``: log p(z) = -|z|^2 / 2 - (D/2) log 2 pi."""

    def __init__(self, shape: Sequence[int] | int):
        super().__init__()
        self.shape = (shape,) if isinstance(shape, int) else tuple(shape)

    def log_prob(self, z: Tensor) -> Tensor:
        return sum_except_batch(-0.5 * z**2 - 0.5 * math.log(2 * math.pi))

    def sample(self, n: int, device: torch.device | str | None = None,
               generator: torch.Generator | None = None) -> Tensor:
        return torch.randn(n, *self.shape, device=device, generator=generator)


class StandardLogistic(nn.Module):
    """The standard logistic density of NICE, per dimension:

        log p(z) = -(softplus(z) + softplus(-z)),   sampled as z = log u - log(1 - u).
    """

    def __init__(self, shape: Sequence[int] | int):
        super().__init__()
        self.shape = (shape,) if isinstance(shape, int) else tuple(shape)

    def log_prob(self, z: Tensor) -> Tensor:
        return sum_except_batch(-(F.softplus(z) + F.softplus(-z)))

    def sample(self, n: int, device: torch.device | str | None = None,
               generator: torch.Generator | None = None) -> Tensor:
        u = torch.rand(n, *self.shape, device=device, generator=generator)
        u = u.clamp(torch.finfo(u.dtype).tiny, 1 - torch.finfo(u.dtype).eps)
        return torch.log(u) - torch.log1p(-u)


class Flow(nn.Module):
    """A bijection x -> z with log |det Df|; see the module docstring for the contract."""

    def __init__(self) -> None:
        super().__init__()
        self.prior: nn.Module | None = None

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        raise NotImplementedError

    def inverse(self, z: Tensor) -> Tensor:
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_and_log_det(x)[0]

    def log_det(self, x: Tensor) -> Tensor:
        return self.forward_and_log_det(x)[1]

    def base(self, x_shape: Sequence[int]) -> nn.Module:
        """The base density: ``self.prior`` if set, else N(0, I) over the event shape."""
        return self.prior if self.prior is not None else StandardNormal(tuple(x_shape))

    def log_prob(self, x: Tensor) -> Tensor:
        """log p_X(x) = log p_Z(f(x)) + log |det Df(x)|, per sample."""
        z, log_det = self.forward_and_log_det(x)
        return self.base(z.shape[1:]).log_prob(z) + log_det

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """x = f^{-1}(z), z ~ prior (the flow must have a ``prior`` with a shape)."""
        if self.prior is None:
            raise ValueError(f"{type(self).__name__} has no prior to sample from")
        device = next(self.parameters(), torch.empty(0)).device
        return self.inverse(self.prior.sample(n, device=device, generator=generator))


class Sequential(Flow):
    """f = f_k o ... o f_1: log-dets add; the inverse runs the layers backwards."""

    def __init__(self, *flows: Flow, prior: nn.Module | None = None):
        super().__init__()
        self.flows = nn.ModuleList(flows)
        self.prior = prior

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        total = x.new_zeros(len(x))
        for flow in self.flows:
            x, log_det = flow.forward_and_log_det(x)
            total = total + log_det
        return x, total

    def inverse(self, z: Tensor) -> Tensor:
        for flow in reversed(self.flows):
            z = flow.inverse(z)
        return z
