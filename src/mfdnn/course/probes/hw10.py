"""HW10 probes: ``flow_inpainting.py``."""

from __future__ import annotations

import torch
from torch import nn

from ._common import attr, fill_, floats, number, pair, tensor


def coupling(mod, req):
    """Each coupling (filled with the judge's values) on the judge's x, its reverse applied
    to that output, and the size of the file's NICE."""
    cls = attr(mod, "Coupling")
    x = tensor(req["x"])
    out = []
    for mask, fill_seed in ((1, req["fill_seeds"][0]), (0, req["fill_seeds"][1])):
        layer = cls(in_out_dim=8, mid_dim=6, hidden=3, mask_config=mask).double()
        shapes = [list(s) for s in fill_(layer, fill_seed)]
        with torch.no_grad():
            y = layer(x)
            back = layer(y, reverse=True)
        out.append({"shapes": shapes, "y": floats(y, f"coupling with mask_config={mask}"),
                    "back": floats(back, f"reverse with mask_config={mask}")})
    nice = attr(mod, "NICE")()
    count = int(sum(p.numel() for p in nice.parameters()))
    return {"layers": out, "nice_parameters": count}


class Quadratic(nn.Module):
    """log p(x) = -||A x - c||^2 / 2 row by row: a small stand-in for the flow (seeded)."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.A = nn.Parameter(torch.randn(784, 784, generator=g) / 28)
        self.c = nn.Parameter(torch.rand(784, generator=g))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return -0.5 * ((x @ self.A.T - self.c) ** 2).sum(dim=1)


def inpaint(mod, req):
    fn = attr(mod, "inpaint")
    model = Quadratic(req["model_seed"])
    before = [p.detach().clone() for p in model.parameters()]
    image, known = tensor(req["image"], "float32"), tensor(req["known"], "bool")
    got, losses = pair(fn(model, image.clone(), known, lr=req["lr"],
                          iterations=req["iterations"]), 2,
                       "inpaint must return (reconstruction, losses)")
    unchanged = all(torch.equal(p.detach(), q) for p, q in zip(model.parameters(), before,
                                                               strict=True))
    return {"image": floats(got, "the reconstruction"),
            "losses": [number(v, "a loss") for v in losses], "frozen": bool(unchanged)}
