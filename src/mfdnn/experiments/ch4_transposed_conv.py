"""Chapter 4 and HW8 P1/P2: transposed convolution is the adjoint of convolution.

Checks, all in float64 on random tensors from the run's seed:

* <A x, y> = <x, A^T y> for A = conv2d and A^T = conv_transpose2d with the same weight, over
  strides 1..3, paddings 0..2, kernel sizes 2..4 and odd and even input sizes;
* the written-out scatter X[:, :, s i : s i + f1, s j : s j + f2] += Y[:, k, i, j] w[k] equals
  ``conv_transpose2d``, and reproduces the lecture's worked examples;
* the dense matrix of conv_transpose2d is the transpose of conv2d's (so input j influences
  output i of one exactly when input i influences output j of the other);
* HW8 P2: nearest-neighbour x r upsampling equals ConvTranspose2d(C, C, r, stride r) with an
  all-ones kernel on the channel diagonal, and the grouped variant, for C in {1, 3, 5} and
  r in {2, 3, 4} (exact equality);
* HW8 P1: for T = 2 x 2 average pooling, the autograd vector-Jacobian product T^T Y equals
  1/4 nearest x2 upsampling of Y, and <Y, T X> = <T^T Y, X>.

metrics.json:
  max_abs_diff_adjoint          max |<Ax, y> - <x, A^T y>| over the conv configurations
  max_abs_diff_written_out      max |scatter formula - conv_transpose2d|
  max_abs_diff_dense_transpose  max |matrix(conv_transpose2d) - matrix(conv2d)^T|
  max_abs_diff_upsample         max |nearest upsampling - all-ones ConvTranspose2d| (0 exactly)
  max_abs_diff_avgpool_adjoint  max |VJP of avg_pool2d - 1/4 nearest upsampling| and the
                                inner-product gap of the same pair
  max_abs_diff_adjoint_1d       the 1-D valid convolution and its transpose (HW1's operator)
  worked_example_stride1, worked_example_stride2   the scatter formula's outputs on the
                                lecture's 2 x 2 input and kernel
  worked_examples_match         both equal the lecture's matrices
  num_adjoint_configs           how many conv configurations were checked
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.nn.adjoint import (
    adjoint_mismatch,
    avgpool2_adjoint,
    conv2d_adjoint,
    nearest_upsampling_as_conv_transpose,
    operator_matrix,
    transposed_conv2d,
)
from mfdnn.nn.conv1d import Convolution1d
from mfdnn.plotting import plt

ALL = ("quick", "laptop", "full")
WORKED_INPUT = [[0.0, 1.0], [2.0, 3.0]]
WORKED_KERNEL = [[0.0, 1.0], [2.0, 3.0]]
WORKED_STRIDE1 = [[0, 0, 1], [0, 4, 6], [4, 12, 9]]
WORKED_STRIDE2 = [[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]]


@dataclass
class Config:
    batch: int = 2
    in_channels: int = 3
    out_channels: int = 4
    sizes: tuple[int, ...] = (7, 8)  # input heights = widths (odd and even)
    strides: tuple[int, ...] = (1, 2, 3)
    paddings: tuple[int, ...] = (0, 1, 2)
    kernels: tuple[int, ...] = (2, 3, 4)
    upsample_channels: tuple[int, ...] = (1, 3, 5)
    upsample_scales: tuple[int, ...] = (2, 3, 4)


@experiment(
    "ch4-transposed-conv",
    title="Transposed convolution as the adjoint of convolution; HW8 P1 and P2 identities",
    group="Ch4",
    config=Config,
    metrics=("max_abs_diff_adjoint", "max_abs_diff_upsample", "max_abs_diff_avgpool_adjoint",
             "max_abs_diff_written_out", "max_abs_diff_dense_transpose",
             "max_abs_diff_adjoint_1d"),
    quick=dict(sizes=(7,), kernels=(3,)),
    quick_note="one input size (7) and kernel size (3); all strides, paddings and identities",
    claims=(  # float64 on O(1) random tensors: rounding is about 1e-14
        Claim("max_abs_diff_adjoint", "<=", 1e-10, "mathematics: <Ax, y> = <x, A^T y>",
              profiles=ALL),
        Claim("max_abs_diff_written_out", "<=", 1e-10,
              "SYLLABUS.md Ch4: the scatter formula of the transposed conv", profiles=ALL),
        Claim("max_abs_diff_dense_transpose", "<=", 1e-12,
              "mathematics: matrix(A^T) = matrix(A)^T", profiles=ALL),
        Claim("max_abs_diff_upsample", "<=", 0.0,
              "HOMEWORK.md HW8 P2 (exact: the kernel is ones)", profiles=ALL),
        Claim("max_abs_diff_avgpool_adjoint", "<=", 1e-12, "HOMEWORK.md HW8 P1", profiles=ALL),
        Claim("max_abs_diff_adjoint_1d", "<=", 1e-12, "HOMEWORK.md HW1 (A^T of Convolution1d)",
              profiles=ALL),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    g = torch.Generator().manual_seed(ctx.seed)

    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g, dtype=torch.float64)

    adjoint_gaps, scatter_gaps, configs = [], [], 0
    for n, s, p, f in itertools.product(cfg.sizes, cfg.strides, cfg.paddings, cfg.kernels):
        if n + 2 * p < f or p >= f:  # no output, or padding conv_transpose2d cannot undo
            continue
        w = randn(cfg.out_channels, cfg.in_channels, f, f)
        x = randn(cfg.batch, cfg.in_channels, n, n)
        y = randn(*F.conv2d(x, w, stride=s, padding=p).shape)
        adjoint_gaps.append(adjoint_mismatch(
            lambda t, w=w, s=s, p=p: F.conv2d(t, w, stride=s, padding=p),
            lambda t, w=w, s=s, p=p, n=n: conv2d_adjoint(t, w, (n, n), stride=s, padding=p),
            x, y))
        # the scatter formula (without output_padding) against conv_transpose2d
        scatter_gaps.append(float((transposed_conv2d(y, w, s, p)
                                   - F.conv_transpose2d(y, w, stride=s, padding=p)).abs().max()))
        configs += 1

    # the matrices: matrix(A^T) = matrix(A)^T, on one small strided case
    w = randn(2, 2, 3, 3)
    A = operator_matrix(lambda t: F.conv2d(t[None], w, stride=2, padding=1)[0], (2, 5, 5))
    At = operator_matrix(lambda t: conv2d_adjoint(t[None], w, (5, 5), 2, 1)[0], (2, 3, 3))
    dense_gap = float((At - A.T).abs().max())

    up_gap = 0.0
    for C, r in itertools.product(cfg.upsample_channels, cfg.upsample_scales):
        x = randn(cfg.batch, C, 5, 6)
        nearest = F.interpolate(x, scale_factor=r, mode="nearest")
        for grouped in (False, True):
            layer = nearest_upsampling_as_conv_transpose(C, r, grouped).double()
            with torch.no_grad():
                up_gap = max(up_gap, float((layer(x) - nearest).abs().max()))

    X = randn(cfg.batch, cfg.in_channels, 8, 10).requires_grad_()
    Y = randn(cfg.batch, cfg.in_channels, 4, 5)
    (vjp,) = torch.autograd.grad(F.avg_pool2d(X, 2), X, grad_outputs=Y)  # T^T Y by autograd
    pool_gap = max(float((vjp - avgpool2_adjoint(Y)).abs().max()),
                   adjoint_mismatch(lambda t: F.avg_pool2d(t, 2), avgpool2_adjoint, X.detach(), Y))

    rng = ctx.numpy_rng()
    k, x1 = rng.randn(5), rng.randn(30)
    v1 = rng.randn(26)
    A1 = Convolution1d(k, 30)
    gap_1d = abs(float((A1 @ x1) @ v1 - x1 @ (A1.T @ v1)))

    t_in = torch.tensor([[WORKED_INPUT]], dtype=torch.float64)
    t_w = torch.tensor([[WORKED_KERNEL]], dtype=torch.float64)
    ex1 = transposed_conv2d(t_in, t_w, 1)[0, 0].tolist()
    ex2 = transposed_conv2d(t_in, t_w, 2)[0, 0].tolist()
    plot_worked_examples(ctx, ex1, ex2)
    return {
        "max_abs_diff_adjoint": max(adjoint_gaps),
        "max_abs_diff_upsample": up_gap,
        "max_abs_diff_avgpool_adjoint": pool_gap,
        "max_abs_diff_written_out": max(scatter_gaps),
        "max_abs_diff_dense_transpose": dense_gap,
        "max_abs_diff_adjoint_1d": gap_1d,
        "worked_example_stride1": ex1,
        "worked_example_stride2": ex2,
        "worked_examples_match": bool(np.array_equal(ex1, WORKED_STRIDE1)
                                      and np.array_equal(ex2, WORKED_STRIDE2)),
        "num_adjoint_configs": configs,
    }


def plot_worked_examples(ctx: RunContext, ex1: list, ex2: list) -> None:
    panels = [("input Y", WORKED_INPUT), ("kernel w", WORKED_KERNEL),
              ("transposed conv, stride 1", ex1), ("transposed conv, stride 2", ex2)]
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.8))
    for ax, (title, matrix) in zip(axes, panels, strict=True):
        m = np.asarray(matrix)
        ax.imshow(m, cmap="Blues", vmin=0, vmax=max(m.max(), 1))
        for (i, j), v in np.ndenumerate(m):
            ax.text(j, i, f"{v:g}", ha="center", va="center")
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("each input value adds value x kernel into the output (stride s shifts by s)")
    ctx.savefig(fig, "transposed_conv")
