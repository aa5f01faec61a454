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

``style="modern"`` is the Chapter 3 "modern" LeNet-5: ReLU after C1, C3, C5 and F6, max
pooling, no activation after the pools. The paper's input is 32 x 32, so a 28 x 28 image
(MNIST) is zero-padded by 2 in C1 and a 32 x 32 one (CIFAR-10) is not; ``in_channels``,
``num_classes`` and ``dropout`` (before each fully connected layer, Chapter 3's ablation)
adapt it to other data. The defaults are the homework's network exactly.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mfdnn.analysis.params import count_parameters

__all__ = [
    "C3_TABLE", "LeNet5", "MaskedC3", "SparseC3", "c3_mask", "c3_param_count",
    "count_parameters", "lenet5_param_count",
]

# Which S2 maps each C3 map reads (LeCun et al. 1998, Table 1).
C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5), (0, 1, 2, 5),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


def c3_mask(table: tuple[tuple[int, ...], ...] = C3_TABLE) -> Tensor:
    """The connection table as a 16 x 6 0/1 matrix: mask[o, i] = 1 iff map o reads map i."""
    mask = torch.zeros(len(table), 6)
    for out, inputs in enumerate(table):
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
        self.register_buffer("mask", c3_mask(table)[:, :, None, None])  # (16, 6, 1, 1)
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
    """LeNet-5; ``c3`` is ``sparse``, ``masked`` or ``full``; ``style`` ``classic`` (tanh,
    average pooling) or ``modern`` (ReLU, max pooling)."""

    def __init__(self, c3: str = "sparse", *, style: str = "classic", in_channels: int = 1,
                 num_classes: int = 10, image_size: int = 28, dropout: float = 0.0) -> None:
        super().__init__()
        if style not in ("classic", "modern"):
            raise ValueError(f"style must be classic or modern, not {style!r}")
        self.style, self.dropout = style, dropout
        padding = max(0, (32 - image_size) // 2)  # the paper's 32 x 32 input
        side = ((image_size + 2 * padding - 4) // 2 - 4) // 2  # C1, S2, C3, S4
        pool = nn.AvgPool2d if style == "classic" else nn.MaxPool2d
        self.c1 = nn.Conv2d(in_channels, 6, 5, padding=padding)
        self.s2 = pool(2, 2)
        if c3 == "sparse":
            self.c3 = SparseC3()
        elif c3 == "masked":
            self.c3 = MaskedC3()
        elif c3 == "full":
            self.c3 = nn.Conv2d(6, 16, 5)
        else:
            raise ValueError(f"c3 must be sparse, masked or full, not {c3!r}")
        self.s4 = pool(2, 2)
        self.c5 = nn.Linear(16 * side * side, 120)
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, num_classes)

    def _drop(self, x: Tensor) -> Tensor:
        # only when asked for: dropout in train mode draws from the generator
        return F.dropout(x, self.dropout, self.training) if self.dropout > 0 else x

    def forward(self, x: Tensor) -> Tensor:
        if self.style == "classic":
            x = torch.tanh(self.s2(torch.tanh(self.c1(x))))
            x = torch.tanh(self.s4(torch.tanh(self.c3(x))))
            x = torch.tanh(self.c5(self._drop(x.flatten(1))))
            x = torch.tanh(self.f6(self._drop(x)))
        else:
            x = self.s4(torch.relu(self.c3(self.s2(torch.relu(self.c1(x))))))
            x = torch.relu(self.c5(self._drop(x.flatten(1))))
            x = torch.relu(self.f6(self._drop(x)))
        return self.output(self._drop(x))


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
