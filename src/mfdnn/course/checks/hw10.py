"""HW10 checks: ``flow_inpainting.py`` (the additive coupling's pattern and its inverse on the
checker's weights, against :class:`mfdnn.flows.nice.Coupling`, and the NICE size; projected
gradient descent against the checker's loop on a small density)."""

from __future__ import annotations

import numpy as np
import torch

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import array, close, field, flag, integer, items, number, require
from mfdnn.course.probes._common import fill_
from mfdnn.course.probes.hw10 import Quadratic
from mfdnn.flows.nice import COURSE_NICE_PARAMETERS, Coupling

CHECKS: list[Check] = []


@check("flow_inpainting.py", 40, "Coupling.forward: mask 1 shifts the even entries by "
       "m(odd), mask 0 the odd by m(even); reverse inverts it; NICE has 19,158,352 parameters",
       registry=CHECKS)
def coupling(rng: np.random.RandomState) -> Case:
    x = rng.randn(5, 8)
    fill_seeds = [int(s) for s in rng.randint(2**31, size=2)]
    references = []
    for mask, fill_seed in zip((1, 0), fill_seeds, strict=True):
        layer = Coupling(8, 6, 3, mask).double()  # the course's module names and order
        shapes = [list(s) for s in fill_(layer, fill_seed)]
        with torch.no_grad():
            references.append((mask, shapes, layer.forward_and_log_det(torch.tensor(x))[0]))

    def verdict(answer) -> str:
        layers = items(field(answer, "layers"), "layers", 2)
        for (mask, shapes, want), got in zip(references, layers, strict=True):
            require(field(got, "shapes") == shapes, "Coupling's layers are not the course's "
                    "(in_block, mid_block, out_block)")
            close(field(got, "y"), want, f"coupling with mask_config={mask}", atol=1e-12)
            close(field(got, "back"), x, f"reverse(forward(x)) with mask_config={mask}",
                  atol=1e-12)
        count = integer(field(answer, "nice_parameters"), "nice_parameters")
        require(count == COURSE_NICE_PARAMETERS, f"NICE has {count} parameters, expected "
                f"{COURSE_NICE_PARAMETERS}")
        return "ok"

    return Case({"x": x, "fill_seeds": fill_seeds}, verdict)


@check("flow_inpainting.py", 60, "inpaint: projected SGD on -log p (known pixels reset, "
       "unknown clamped to [0, 1], model frozen) equals the checker's loop", registry=CHECKS)
def inpaint(rng: np.random.RandomState) -> Case:
    model_seed = int(rng.randint(2**31))
    original = rng.rand(1, 784).astype(np.float32)
    top, left = int(rng.randint(3, 8)), int(rng.randint(3, 10))
    known = np.ones((28, 28), dtype=bool)
    known[top:top + 7, left:left + 15] = False
    known = known.reshape(1, 784)
    image = np.where(known, original, np.float32(1.0))
    lr, iterations = 0.05, 25
    reference = Quadratic(model_seed).requires_grad_(False)
    image_t, known_t = torch.tensor(image), torch.tensor(known)
    x, want_losses = image_t.clone(), []
    for _ in range(iterations):
        x = x.detach().requires_grad_()
        loss = -reference(x).sum()
        (grad,) = torch.autograd.grad(loss, x)
        want_losses.append(loss.item())
        x = torch.where(known_t, image_t, (x - lr * grad).clamp(0, 1))  # step, then project
    want = x.detach()

    def verdict(answer) -> str:
        got = array(field(answer, "image"), "image")
        require(got.size == 784, f"the reconstruction has {got.size} pixels, not 784")
        got = got.reshape(1, 784)
        require(np.array_equal(got[known], image[known].astype(np.float64)),
                "known pixels changed")
        require(bool((got >= 0).all() and (got <= 1).all()), "pixels outside [0, 1]")
        close(got, want, f"the reconstruction after {iterations} steps", atol=1e-4, rtol=1e-4)
        losses = [number(v, "a loss") for v in items(field(answer, "losses"), "losses")]
        close(np.array(losses), np.array(want_losses), "the losses", atol=1e-2, rtol=1e-4)
        require(flag(field(answer, "frozen"), "frozen"), "the model's parameters changed")
        return "ok"

    return Case({"model_seed": model_seed, "image": image, "known": known, "lr": lr,
                 "iterations": iterations}, verdict)
