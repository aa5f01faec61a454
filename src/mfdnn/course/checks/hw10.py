"""HW10 checks: ``flow_inpainting.py`` (the additive coupling's pattern, its inverse and the
NICE size; projected gradient descent against the checker's loop on a small density)."""

from __future__ import annotations

import torch
from torch import nn

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


def nice_param_count(dim: int = 784, mid: int = 1000, hidden: int = 5, couplings: int = 4):
    """Per coupling: (D/2 -> mid) + (hidden - 1) x (mid -> mid) + (mid -> D/2); plus D scales."""
    half = dim // 2
    per = half * mid + mid + (hidden - 1) * (mid * mid + mid) + mid * half + half
    return couplings * per + dim


@check("flow_inpainting.py", 40, "Coupling.forward: mask 1 shifts the even entries by "
       "m(odd), mask 0 the odd by m(even); reverse inverts it; NICE has 19,158,352 parameters",
       registry=CHECKS)
def coupling(mod) -> str:
    cls = attr(mod, "Coupling")
    torch.manual_seed(0)
    x = torch.randn(5, 8, dtype=torch.float64)
    for mask in (1, 0):
        layer = cls(in_out_dim=8, mid_dim=6, hidden=3, mask_config=mask).double()
        even, odd = x[:, 0::2], x[:, 1::2]
        with torch.no_grad():
            y = layer(x)
            want = x.clone()
            if mask == 1:
                want[:, 0::2] = even + layer.m(odd)
            else:
                want[:, 1::2] = odd + layer.m(even)
            close(y, want, f"coupling with mask_config={mask}", atol=1e-12)
            close(layer(y, reverse=True), x, f"reverse(forward(x)) with mask_config={mask}",
                  atol=1e-12)
    nice = attr(mod, "NICE")()
    count = sum(p.numel() for p in nice.parameters())
    require(count == nice_param_count(), f"NICE has {count} parameters, expected "
            f"{nice_param_count()}")
    return "ok"


class Quadratic(nn.Module):
    """log p(x) = -||A x - c||^2 / 2 row by row: a small stand-in for the flow."""

    def __init__(self) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(3)
        self.A = nn.Parameter(torch.randn(784, 784, generator=g) / 28)
        self.c = nn.Parameter(torch.rand(784, generator=g))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return -0.5 * ((x @ self.A.T - self.c) ** 2).sum(dim=1)


@check("flow_inpainting.py", 60, "inpaint: projected SGD on -log p (known pixels reset, "
       "unknown clamped to [0, 1], model frozen) equals the checker's loop", registry=CHECKS)
def inpaint(mod) -> str:
    fn = attr(mod, "inpaint")
    torch.manual_seed(1)
    original = torch.rand(1, 784)
    known = torch.ones(28, 28, dtype=torch.bool)
    known[5:12, 5:20] = False
    known = known.reshape(1, 784)
    image = torch.where(known, original, torch.ones_like(original))
    model = Quadratic()
    before = [p.detach().clone() for p in model.parameters()]
    result = fn(model, image.clone(), known, lr=0.05, iterations=25)
    require(isinstance(result, tuple | list) and len(result) == 2,
            "inpaint must return (reconstruction, losses)")
    got, losses = result
    reference = Quadratic().requires_grad_(False)
    x, want_losses = image.clone(), []
    for _ in range(25):
        x = x.detach().requires_grad_()
        loss = -reference(x).sum()
        (grad,) = torch.autograd.grad(loss, x)
        want_losses.append(loss.item())
        x = torch.where(known, image, (x - 0.05 * grad).clamp(0, 1))  # step, then project
    got = torch.as_tensor(got).detach().reshape(1, 784)
    require(torch.equal(got[known], image[known]), "known pixels changed")
    require(bool((got >= 0).all() and (got <= 1).all()), "pixels outside [0, 1]")
    close(got, x, "the reconstruction after 25 steps", atol=1e-4, rtol=1e-4)
    close(torch.tensor([float(v) for v in losses]), torch.tensor(want_losses),
          "the losses", atol=1e-2, rtol=1e-4)
    for p, q in zip(model.parameters(), before, strict=True):
        require(torch.equal(p.detach(), q), "the model's parameters changed")
    return "ok"
