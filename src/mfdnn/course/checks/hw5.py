"""HW5 checks: ``mlp_backprop.py`` (hand backprop against autograd) and
``label_memorization.py`` (the network against the hand parameter count and its layer
shapes, the random-label draws, and accuracy in eval mode)."""

from __future__ import annotations

import torch
from torch import nn

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


def _mlp(seed: int, widths: list[int]):
    g = torch.Generator().manual_seed(seed)
    X = torch.rand(widths[0], 1, generator=g, dtype=torch.float64)
    Y = torch.rand(widths[-1], 1, generator=g, dtype=torch.float64)
    As = [torch.randn(o, i, generator=g, dtype=torch.float64)
          for i, o in zip(widths, widths[1:], strict=False)]
    bs = [torch.randn(o, 1, generator=g, dtype=torch.float64) for o in widths[1:]]
    return X, Y, As, bs


@check("mlp_backprop.py", 50, "backprop: every layer's dloss/dA and dloss/db equal autograd",
       registry=CHECKS)
def backprop(mod) -> str:
    fn = attr(mod, "backprop")
    for seed, widths in ((0, [4, 4, 4, 4, 4, 4, 1]), (1, [3, 5, 2, 1]), (2, [2, 1])):
        X, Y, As, bs = _mlp(seed, widths)
        params = [t.clone().requires_grad_() for t in As + bs]
        y = X
        for ell, (A, b) in enumerate(zip(params[:len(As)], params[len(As):], strict=True)):
            z = A @ y + b
            y = z if ell == len(As) - 1 else torch.sigmoid(z)
        (0.5 * (y - Y).pow(2).sum()).backward()
        result = fn(X, Y, As, bs)
        require(isinstance(result, tuple | list) and len(result) == 2,
                "backprop must return (list of dA, list of db)")
        dAs, dbs = result
        require(len(dAs) == len(As) and len(dbs) == len(bs),
                f"{len(dAs)} / {len(dbs)} gradients for {len(As)} layers")
        for ell in range(len(As)):
            close(dAs[ell], params[ell].grad, f"dloss/dA_{ell + 1} (widths {widths})",
                  atol=1e-12, rtol=1e-9)
            close(torch.as_tensor(dbs[ell]).reshape(bs[ell].shape), params[len(As) + ell].grad,
                  f"dloss/db_{ell + 1} (widths {widths})", atol=1e-12, rtol=1e-9)
    return "ok: equals autograd"


def memo_param_count() -> int:
    """Hand count: conv k*k*C_in*C_out + C_out, linear in*out + out."""
    convs = [(1, 96, 4), (96, 96, 3), (96, 256, 5), (256, 384, 3), (384, 384, 3),
             (384, 256, 3)]
    return (sum(k * k * i * o + o for i, o, k in convs) + 6400 * 800 + 800 + 800 * 10 + 10)


@check("label_memorization.py", 20, "AlexNetMemo: the hand parameter count, 1x28x28 -> 10 "
       "logits, dropout only in train mode", registry=CHECKS)
def alexnet_memo(mod) -> str:
    torch.manual_seed(0)
    model = attr(mod, "AlexNetMemo")()
    count = sum(p.numel() for p in model.parameters() if p.requires_grad)
    require(count == memo_param_count(), f"AlexNetMemo has {count} parameters, the hand "
            f"count is {memo_param_count()}")
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    shapes = [(m.in_channels, m.out_channels, m.kernel_size[0], m.padding[0]) for m in convs]
    require(shapes == [(1, 96, 4, 0), (96, 96, 3, 0), (96, 256, 5, 2), (256, 384, 3, 1),
                       (384, 384, 3, 1), (384, 256, 3, 1)], f"convolutions {shapes}")
    x = torch.rand(2, 1, 28, 28)
    model.eval()
    with torch.no_grad():
        out = model(x)
        require(tuple(out.shape) == (2, 10), f"output shape {tuple(out.shape)}, not (2, 10)")
        close(model(x), out, "eval mode is deterministic", atol=0)
        model.train()
        require(not torch.equal(model(x), out), "no dropout is active in train mode")
    return "ok"


@check("label_memorization.py", 15, "random_label_subset: randperm then randint, as the "
       "course draws them", registry=CHECKS)
def random_label_subset(mod) -> str:
    fn = attr(mod, "random_label_subset")
    images = torch.arange(1000).reshape(1000, 1, 1, 1).float()
    got_images, got_labels = fn(images, 60, 5)
    torch.manual_seed(5)
    index = torch.randperm(1000)[:60]
    labels = torch.randint(0, 10, (60,))
    close(got_images, images[index], "the chosen images (first 60 of randperm)", atol=0)
    close(got_labels, labels, "the random labels (randint after randperm)", atol=0)
    return "ok: same draws"


@check("label_memorization.py", 15, "accuracy: fraction correct in eval mode (dropout off), "
       "over all batches", registry=CHECKS)
def accuracy(mod) -> str:
    fn = attr(mod, "accuracy")
    torch.manual_seed(1)
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.9), nn.Linear(4, 3))
    x, y = torch.randn(250, 1, 2, 2), torch.randint(0, 3, (250,))
    model.eval()
    with torch.no_grad():
        want = (model(x).argmax(1) == y).double().mean().item()
    model.train()
    close(float(fn(model, x, y, 100)), want, "accuracy (eval mode, batches of 100)", atol=1e-12)
    return "ok"
