"""Transposed convolution as the adjoint of convolution (Chapter 4, HW8 P1 and P2).

A linear operator A has the adjoint A^T defined by <A x, y> = <x, A^T y> for all x, y
(<a, b> = sum of a * b). Its matrix has columns A(e_j), but one never forms it for a
convolution: ``conv2d`` is A and ``conv_transpose2d`` with the same weight is A^T.

The transposed convolution, written out: with w in R^{C_in x C_out x f1 x f2} and stride s,
every input value scatters a scaled copy of the kernel into the output,

    X[:, :, s i : s i + f1, s j : s j + f2] += Y[:, k, i, j] * w[k]       for all k, i, j,

so an m x n input becomes ((m-1)s + f1) x ((n-1)s + f2) (padding p then trims p rows and
columns on each side).

HW8 P1: T = 2 x 2 average pooling with stride 2, (T X)_ij = 1/4 sum of the 2 x 2 block ij,
has T^T Y = 1/4 (nearest-neighbour x2 upsampling of Y): each entry is copied into its block.
HW8 P2: nearest-neighbour x r upsampling is the transposed convolution with stride r whose
r x r kernel is all ones on the channel diagonal (zero elsewhere), or equivalently
groups = C with an all-ones kernel. Both identities are exact.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def inner(a: Tensor, b: Tensor) -> Tensor:
    """<a, b> = sum of a * b (in float64)."""
    return (a.double() * b.double()).sum()


def transposed_conv2d(y: Tensor, weight: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    """The written-out transposed convolution (loops over input positions; for checking).

    y: B x C_in x m x n; weight: C_in x C_out x f1 x f2 (``nn.ConvTranspose2d``'s layout).
    Returns B x C_out x ((m-1)s + f1 - 2p) x ((n-1)s + f2 - 2p).
    """
    B, C_in, m, n = y.shape
    _, C_out, f1, f2 = weight.shape
    X = y.new_zeros(B, C_out, (m - 1) * stride + f1, (n - 1) * stride + f2)
    for i in range(m):
        for j in range(n):
            # X[:, :, si:si+f1, sj:sj+f2] += sum_k Y[:, k, i, j] * w[k]
            X[:, :, stride * i: stride * i + f1, stride * j: stride * j + f2] += torch.einsum(
                "bk,kcuv->bcuv", y[:, :, i, j], weight)
    return X[:, :, padding: X.shape[2] - padding, padding: X.shape[3] - padding]


def conv2d_output_size(n: int, kernel: int, stride: int, padding: int) -> int:
    return (n + 2 * padding - kernel) // stride + 1


def conv2d_adjoint(y: Tensor, weight: Tensor, input_size: tuple[int, int], stride: int = 1,
                   padding: int = 0) -> Tensor:
    """A^T y for A x = conv2d(x, weight, stride, padding) on inputs of size ``input_size``.

    With stride > 1 several input sizes give the same output size; ``output_padding``
    (the rows and columns the strided conv never reached, < stride) restores the input's.
    """
    f1, f2 = weight.shape[-2:]
    extra = tuple(
        n - ((conv2d_output_size(n, f, stride, padding) - 1) * stride - 2 * padding + f)
        for n, f in zip(input_size, (f1, f2), strict=True))
    return F.conv_transpose2d(y, weight, stride=stride, padding=padding, output_padding=extra)


def avgpool2_adjoint(Y: Tensor) -> Tensor:
    """T^T Y = 1/4 * (nearest-neighbour x2 upsampling of Y), for T = 2 x 2 average pooling."""
    return 0.25 * Y.repeat_interleave(2, dim=-2).repeat_interleave(2, dim=-1)


def nearest_upsampling_as_conv_transpose(channels: int, scale: int,
                                         grouped: bool = False) -> nn.ConvTranspose2d:
    """``ConvTranspose2d`` (kernel = stride = ``scale``, no bias) equal to nearest upsampling.

    ``grouped=False``: C x C kernel, all-ones r x r on the channel diagonal, zero off it;
    ``grouped=True``: groups = C and an all-ones kernel per channel.
    """
    groups = channels if grouped else 1
    layer = nn.ConvTranspose2d(channels, channels, kernel_size=scale, stride=scale,
                               groups=groups, bias=False)
    with torch.no_grad():
        if grouped:
            layer.weight.fill_(1.0)  # shape C x 1 x r x r
        else:
            layer.weight.zero_()
            for c in range(channels):
                layer.weight[c, c].fill_(1.0)
    return layer


def operator_matrix(op: Callable[[Tensor], Tensor], input_shape: tuple[int, ...]) -> Tensor:
    """The dense matrix of a linear ``op``: column j is op(e_j), flattened (for small checks)."""
    n = int(torch.tensor(input_shape).prod())
    basis = torch.eye(n, dtype=torch.float64).reshape(n, *input_shape)
    return torch.stack([op(e).reshape(-1) for e in basis], dim=1)


def adjoint_mismatch(A: Callable[[Tensor], Tensor], At: Callable[[Tensor], Tensor], x: Tensor,
                     y: Tensor) -> float:
    """|<A x, y> - <x, A^T y>|: zero up to rounding (for all x, y) exactly when ``At`` is the
    adjoint of ``A``. Pass float64 tensors to see rounding at the 1e-13 level."""
    return float((inner(A(x), y) - inner(x, At(y))).abs())
