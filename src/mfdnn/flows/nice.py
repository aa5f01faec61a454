"""NICE (Dinh, Krueger and Bengio 2014) as the course builds it for HW10 and HW11.

* **Additive coupling** on x in R^D viewed as D/2 pairs (x[2k], x[2k+1]). With
  ``mask_config = 1`` the even entries are shifted by m(odd entries); with 0 the odd ones by
  m(even entries):

      z_on = x_on + m(x_off),   z_off = x_off,   inverse x_on = z_on - m(z_off),

  a block-triangular Jacobian with identity blocks: log |det| = 0.
* **Coupling function** m: ``Linear(D/2, mid)`` + ReLU, (hidden - 1) x [``Linear(mid, mid)`` +
  ReLU], ``Linear(mid, D/2)``.
* **Diagonal scaling** z = x * e^s, log |det| = sum_i s_i (s initialised to 0).
* **Prior** standard logistic, so

      log p(x) = sum_d log p_logistic(z_d) + sum_i s_i.

The course's model (``NICE.course()``): D = 784, four couplings with
``mask_config = (1 + i) mod 2``, mid = 1000, hidden = 5, 19,158,352 parameters. Module names
follow the course's code (``coupling.{i}.in_block.0``, ``coupling.{i}.mid_block.{j}.0``,
``coupling.{i}.out_block``, ``scaling.scale``), so the original ``nice.pt`` state dict loads.

One difference of API: the course's ``NICE.forward`` returns log p(x); here, as for every
flow in :mod:`mfdnn.flows`, ``forward`` is the map x -> z and ``log_prob`` is log p(x).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from mfdnn.flows.base import Flow, StandardLogistic

COURSE_NICE_PARAMETERS = 19_158_352


class Coupling(Flow):
    """Additive coupling on interleaved halves; ``mask_config`` 1 shifts the even entries."""

    def __init__(self, in_out_dim: int, mid_dim: int, hidden: int, mask_config: int):
        super().__init__()
        if in_out_dim % 2:
            raise ValueError(f"NICE couples pairs of entries; in_out_dim={in_out_dim} is odd")
        self.mask_config = mask_config
        half = in_out_dim // 2
        self.in_block = nn.Sequential(nn.Linear(half, mid_dim), nn.ReLU())
        self.mid_block = nn.ModuleList(
            nn.Sequential(nn.Linear(mid_dim, mid_dim), nn.ReLU()) for _ in range(hidden - 1))
        self.out_block = nn.Linear(mid_dim, half)

    def shift(self, off: Tensor) -> Tensor:
        """m(x_off): the coupling MLP."""
        h = self.in_block(off)
        for block in self.mid_block:
            h = block(h)
        return self.out_block(h)

    def _couple(self, x: Tensor, sign: float) -> Tensor:
        pairs = x.reshape(len(x), -1, 2)
        if self.mask_config:
            on, off = pairs[:, :, 0], pairs[:, :, 1]
        else:
            off, on = pairs[:, :, 0], pairs[:, :, 1]
        on = on + sign * self.shift(off)  # z_on = x_on + m(x_off); inverse subtracts
        parts = (on, off) if self.mask_config else (off, on)
        return torch.stack(parts, dim=2).reshape(x.shape)

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        return self._couple(x, 1.0), x.new_zeros(len(x))  # det = 1

    def inverse(self, z: Tensor) -> Tensor:
        return self._couple(z, -1.0)


class Scaling(Flow):
    """z = x * e^s with s of shape (1, D); log |det| = sum_i s_i."""

    def __init__(self, dim: int):
        super().__init__()
        self.scale = nn.Parameter(torch.zeros(1, dim))

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        return x * torch.exp(self.scale), self.scale.sum().expand(len(x))

    def inverse(self, z: Tensor) -> Tensor:
        return z * torch.exp(-self.scale)


class NICE(Flow):
    """Couplings then the diagonal scaling, with a standard logistic prior."""

    def __init__(self, in_out_dim: int = 784, coupling: int = 4, mid_dim: int = 1000,
                 hidden: int = 5, mask_config: int = 1):
        super().__init__()
        self.in_out_dim = in_out_dim
        self.prior = StandardLogistic(in_out_dim)
        self.coupling = nn.ModuleList(
            Coupling(in_out_dim, mid_dim, hidden, (mask_config + i) % 2) for i in range(coupling))
        self.scaling = Scaling(in_out_dim)

    @classmethod
    def course(cls) -> NICE:
        """The course's 784-1000x5 model with four couplings (19,158,352 parameters)."""
        return cls(in_out_dim=784, coupling=4, mid_dim=1000, hidden=5, mask_config=1)

    def forward_and_log_det(self, x: Tensor) -> tuple[Tensor, Tensor]:
        x = x.reshape(len(x), self.in_out_dim)
        for layer in self.coupling:
            x = layer(x)  # additive couplings contribute log |det| = 0
        return self.scaling.forward_and_log_det(x)

    def inverse(self, z: Tensor) -> Tensor:
        x = self.scaling.inverse(z)
        for layer in reversed(self.coupling):
            x = layer.inverse(x)
        return x


def nice_parameter_count(in_out_dim: int = 784, coupling: int = 4, mid_dim: int = 1000,
                         hidden: int = 5) -> int:
    """Hand count: per coupling (D/2)m + m + (hidden-1)(m^2 + m) + m(D/2) + D/2; plus D."""
    half = in_out_dim // 2
    per_coupling = (half * mid_dim + mid_dim) + (hidden - 1) * (mid_dim**2 + mid_dim) \
        + (mid_dim * half + half)
    return coupling * per_coupling + in_out_dim
