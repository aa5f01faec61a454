"""Backpropagation through an MLP by hand (HW5 P1), with the course's formulas.

Network (column vectors): y_0 = X; y_l = sigma(A_l y_{l-1} + b_l) for l < L (sigma the
logistic sigmoid); y_L = A_L y_{L-1} + b_L; loss = (1/2)(y_L - Y)^2.

Backward pass in the row-vector convention: g holds d loss / d y_l as a 1 x n_l row and starts
as g = y_L - Y. For l = L, ..., 1, with D = sigma'(A_l y_{l-1} + b_l) (all ones for l = L):

    d loss / d b_l = g * D^T                        (1 x n_l row)
    d loss / d A_l = (d loss / d b_l)^T y_{l-1}^T   (n_l x n_{l-1})
    g <- (d loss / d b_l) A_l                       (HW4 P6: d y_l / d y_{l-1} = diag(sigma') A_l)

Each layer multiplies g by diag(sigma') <= 1/4 and by A_l, so gradients shrink toward the
input (HW5 P2, vanishing gradients).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass
class Forward:
    """What the forward pass stores: y_0..y_L (columns) and pre-activations z_1..z_L."""

    ys: list[Tensor]
    zs: list[Tensor]

    @property
    def output(self) -> Tensor:
        return self.ys[-1]


def mlp_forward(As: list[Tensor], bs: list[Tensor], X: Tensor) -> Forward:
    """y_l = sigma(A_l y_{l-1} + b_l) for l < L, y_L = A_L y_{L-1} + b_L; X is n_0 x 1."""
    ys, zs = [X], []
    for layer, (A, b) in enumerate(zip(As, bs, strict=True), start=1):
        z = A @ ys[-1] + b
        zs.append(z)
        ys.append(z if layer == len(As) else torch.sigmoid(z))
    return Forward(ys, zs)


def squared_loss(forward: Forward, Y: Tensor) -> Tensor:
    """(1/2)(y_L - Y)^2 for a scalar output."""
    return 0.5 * ((forward.output - Y) ** 2).sum()


def mlp_backward(As: list[Tensor], forward: Forward, Y: Tensor
                 ) -> tuple[list[Tensor], list[Tensor]]:
    """Gradients of (1/2)(y_L - Y)^2: (dA_1..dA_L shaped like A_l, db_1..db_L as 1 x n_l
    rows, the course's convention; transpose them to compare with b_l)."""
    L = len(As)
    dAs: list[Tensor] = [torch.empty(0)] * L
    dbs: list[Tensor] = [torch.empty(0)] * L
    g = (forward.output - Y).T  # d loss / d y_L as a row
    for l in range(L, 0, -1):
        z = forward.zs[l - 1]
        if l == L:
            D = torch.ones_like(z)
        else:
            s = torch.sigmoid(z)
            D = s * (1 - s)  # sigma'(z) = sigma(z)(1 - sigma(z))
        db = g * D.T  # d/db_l = g (.) D^T
        dAs[l - 1] = db.T @ forward.ys[l - 1].T  # d/dA_l = (d/db_l)^T y_{l-1}^T
        dbs[l - 1] = db
        g = db @ As[l - 1]  # g <- (d/db_l) A_l
    return dAs, dbs
