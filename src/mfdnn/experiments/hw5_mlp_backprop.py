"""HW5 P1-P2 (``mlp_backprop.py``): backpropagation through a 6-layer sigmoid MLP by hand.

Draws, in order (torch CPU, ``torch.manual_seed(seed)``, float32): X = rand(4, 1), Y =
rand(1, 1); for layers 1-5 alternately A_l = rand(4, 4), b_l = rand(4, 1); then A_6 = rand(1, 4),
b_6 = rand(1, 1). Forward y_l = sigma(A_l y_{l-1} + b_l), y_6 = A_6 y_5 + b_6, loss
(1/2)(y_6 - Y)^2; backward with the course's row-vector formulas
(:mod:`mfdnn.nn.backprop`). The hand gradients are compared with autograd on the same
tensors (the b-gradients transposed). The first-layer gradients are small: the backpropagated
row is multiplied by diag(sigma') <= 1/4 at every layer (P2, vanishing gradients), which
``grad_norms`` shows layer by layer.

metrics.json:
  loss                   (1/2)(y_6 - Y)^2
  grad_A0                d loss / d A_1 (4 x 4; the starter's first layer, 0-based name)
  grad_b0                d loss / d b_1 (4 values)
  max_abs_diff_autograd  max |hand - autograd| over every layer's A and b gradients
  max_rel_diff_autograd  the same divided by max |autograd| of that tensor
  grad_norms             ||d loss / d A_l|| for l = 1..6 (Frobenius)
  grad_norm_ratio        ||d loss / d A_1|| / ||d loss / d A_6||: how much the gradient vanished
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.nn.backprop import mlp_backward, mlp_forward, squared_loss
from mfdnn.plotting import plt


@dataclass
class Config:
    layers: int = 6
    width: int = 4


def draw_mlp(layers: int = 6, width: int = 4) -> tuple[torch.Tensor, torch.Tensor,
                                                       list[torch.Tensor], list[torch.Tensor]]:
    """The starter's draws from the global generator: X, Y, then (A_l, b_l) layer by layer."""
    X = torch.rand(width, 1)
    Y = torch.rand(1, 1)
    As, bs = [], []
    for layer in range(1, layers + 1):
        rows = 1 if layer == layers else width
        As.append(torch.rand(rows, width))
        bs.append(torch.rand(rows, 1))
    return X, Y, As, bs


def autograd_gradients(X, Y, As, bs) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
    """The starter's "Option 1": the same forward pass with requires_grad, then backward()."""
    As = [A.clone().requires_grad_(True) for A in As]
    bs = [b.clone().requires_grad_(True) for b in bs]
    loss = squared_loss(mlp_forward(As, bs, X), Y)
    loss.backward()
    return loss.detach(), [A.grad for A in As], [b.grad for b in bs]


@experiment(
    "hw5-mlp-backprop",
    title="Backpropagation by hand through a 6-layer sigmoid MLP, checked against autograd",
    group="HW5",
    config=Config,
    metrics=("loss", "grad_A0", "grad_b0", "max_abs_diff_autograd", "max_rel_diff_autograd",
             "grad_norm_ratio"),
    quick={},
    quick_note="the course's settings (the run takes milliseconds)",
    claims=(
        # float32 round-off of a 6-layer chain: ~1e-7 relative; 1e-5 leaves room, a wrong
        # formula is off by O(1)
        Claim("max_rel_diff_autograd", "<=", 1e-5, "HOMEWORK.md HW5 P1: hand gradients equal "
              "autograd's", ("quick", "laptop", "full")),
        # each of the five sigmoid layers multiplies the backpropagated row by diag(sigma')
        # <= 1/4: the first layer's gradient is smaller than the last's
        Claim("grad_norm_ratio", "<", 1, "HOMEWORK.md HW5 P2: gradients vanish through the "
              "sigmoids", ("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    ctx.reseed()
    X, Y, As, bs = draw_mlp(cfg.layers, cfg.width)
    forward = mlp_forward(As, bs, X)
    loss = squared_loss(forward, Y)
    dAs, dbs = mlp_backward(As, forward, Y)
    loss_ref, dAs_ref, dbs_ref = autograd_gradients(X, Y, As, bs)
    pairs = list(zip(dAs, dAs_ref, strict=True)) + [(db.T, ref) for db, ref in
                                                     zip(dbs, dbs_ref, strict=True)]
    max_abs = max((ours - ref).abs().max().item() for ours, ref in pairs)
    max_rel = max(((ours - ref).abs().max() / ref.abs().max()).item() for ours, ref in pairs)
    norms = [dA.norm().item() for dA in dAs]
    ctx.print(f"loss {loss.item():.6f} (autograd {loss_ref.item():.6f})")
    ctx.print(f"dA_1 =\n{dAs[0]}\ndb_1 = {dbs[0]}")
    ctx.print(f"max |hand - autograd| = {max_abs:.3g}")

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.semilogy(range(1, cfg.layers + 1), norms, "o-")
    ax.set_xlabel("layer l")
    ax.set_ylabel("||d loss / d A_l||")
    ax.set_title("gradients vanish toward the input (sigma' <= 1/4)")
    ctx.savefig(fig, "grad_norms")
    return {
        "loss": loss.item(),
        "grad_A0": dAs[0].tolist(),
        "grad_b0": dbs[0].flatten().tolist(),
        "max_abs_diff_autograd": max_abs,
        "max_rel_diff_autograd": max_rel,
        "grad_norms": norms,
        "grad_norm_ratio": norms[0] / norms[-1],
    }
