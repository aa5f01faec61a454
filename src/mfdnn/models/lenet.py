"""LeNet-5 (LeCun et al. 1998) as in HW4 P7 (``lenet_original.py``).

    C1  Conv2d(1, 6, 5, padding=2), tanh        6 x 28 x 28
    S2  AvgPool2d(2, 2), tanh                    6 x 14 x 14
    C3  sparse (Table 1 of the paper), tanh      16 x 10 x 10
    S4  AvgPool2d(2, 2), tanh                    16 x 5 x 5
    C5  Linear(400, 120), tanh
    F6  Linear(120, 84), tanh
    out Linear(84, 10)                           logits

C3 comes in three forms with ``c3=``:

* ``"sparse"``: the homework's reference, 16 separate ``Conv2d(k_i, 1, 5)`` each reading a
  subset of the six S2 maps (1,516 parameters);
* ``"masked"``: one ``Conv2d(6, 16, 5)`` whose weight is multiplied by the 16 x 6 connection
  table, the same function with one convolution call instead of 16 (same 1,516 effective
  parameters; 2,416 stored, of which 900 are held at zero by the mask);
* ``"full"``: the modern dense ``Conv2d(6, 16, 5)`` (2,416 parameters).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

# Which S2 maps each C3 map reads (LeCun et al. 1998, Table 1).
C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5), (0, 1, 2, 5),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


def c3_mask() -> Tensor:
    """The connection table as a 16 x 6 0/1 matrix: mask[o, i] = 1 iff map o reads map i."""
    mask = torch.zeros(16, 6)
    for out, inputs in enumerate(C3_TABLE):
        mask[out, list(inputs)] = 1
    return mask


class SparseC3(nn.Module):
    """16 separate convolutions, each over its own subset of the input maps, concatenated."""

    def __init__(self, table: tuple[tuple[int, ...], ...] = C3_TABLE, kernel_size: int = 5):
        super().__init__()
        self.table = table
        for i, inputs in enumerate(table):
            self.register_buffer(f"index{i}", torch.tensor(inputs), persistent=False)
        self.convs = nn.ModuleList(nn.Conv2d(len(inputs), 1, kernel_size) for inputs in table)

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat([conv(x[:, getattr(self, f"index{i}")])
                          for i, conv in enumerate(self.convs)], dim=1)


class MaskedC3(nn.Conv2d):
    """``Conv2d(6, 16, 5)`` with weight * mask: the sparse C3 as a single convolution."""

    def __init__(self, table: tuple[tuple[int, ...], ...] = C3_TABLE, kernel_size: int = 5):
        super().__init__(6, len(table), kernel_size)
        mask = torch.zeros(len(table), 6, 1, 1)
        for out, inputs in enumerate(table):
            mask[out, list(inputs)] = 1
        self.register_buffer("mask", mask)
        with torch.no_grad():
            self.weight.mul_(self.mask)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight * self.mask, self.bias)

    @classmethod
    def from_sparse(cls, sparse: SparseC3) -> MaskedC3:
        """Copy the weights of a :class:`SparseC3` into the masked form (exactly)."""
        masked = cls(sparse.table, sparse.convs[0].kernel_size[0])
        with torch.no_grad():
            masked.weight.zero_()
            for out, (inputs, conv) in enumerate(zip(sparse.table, sparse.convs, strict=True)):
                masked.weight[out, list(inputs)] = conv.weight[0]
                masked.bias[out] = conv.bias[0]
        return masked


class LeNet5(nn.Module):
    """LeNet-5 with tanh and average pooling; ``c3`` is ``sparse``, ``masked`` or ``full``."""

    def __init__(self, c3: str = "sparse") -> None:
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.s2 = nn.AvgPool2d(2, 2)
        if c3 == "sparse":
            self.c3 = SparseC3()
        elif c3 == "masked":
            self.c3 = MaskedC3()
        elif c3 == "full":
            self.c3 = nn.Conv2d(6, 16, 5)
        else:
            raise ValueError(f"c3 must be sparse, masked or full, not {c3!r}")
        self.s4 = nn.AvgPool2d(2, 2)
        self.c5 = nn.Linear(400, 120)
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, 10)

    def forward(self, x: Tensor) -> Tensor:
        x = torch.tanh(self.s2(torch.tanh(self.c1(x))))
        x = torch.tanh(self.s4(torch.tanh(self.c3(x))))
        x = torch.tanh(self.c5(x.flatten(1)))
        x = torch.tanh(self.f6(x))
        return self.output(x)


def c3_param_count(c3: str, kernel_size: int = 5) -> int:
    """Hand count of C3's parameters: per output map, (inputs read) * k^2 weights + 1 bias."""
    k2 = kernel_size * kernel_size
    if c3 == "full":
        return 16 * (6 * k2 + 1)
    return sum(len(inputs) * k2 + 1 for inputs in C3_TABLE)


def lenet5_param_count(c3: str) -> int:
    """Hand count of LeNet-5's parameters (effective ones for the masked C3)."""
    c1 = 6 * (1 * 25 + 1)
    c5, f6, out = 400 * 120 + 120, 120 * 84 + 84, 84 * 10 + 10
    return c1 + c3_param_count(c3) + c5 + f6 + out


def count_parameters(model: nn.Module) -> int:
    """Trainable parameters, counting a masked weight's zeros out (``MaskedC3``)."""
    total = 0
    for module in model.modules():
        for name, p in module.named_parameters(recurse=False):
            if not p.requires_grad:
                continue
            if isinstance(module, MaskedC3) and name == "weight":
                total += int(module.mask.sum().item()) * p.shape[2] * p.shape[3]
            else:
                total += p.numel()
    return total
