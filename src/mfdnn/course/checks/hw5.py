"""HW5 checks: ``mlp_backprop.py`` (hand backprop against autograd) and
``label_memorization.py`` (the network against the hand parameter count, its layer shapes and
the course's layers on the checker's weights; the random-label draws; accuracy in eval
mode)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import array, close, field, integer, items, require, shown
from mfdnn.course.probes._common import fill_
from mfdnn.models.alexnet import alexnet_memorization

CHECKS: list[Check] = []


def _mlp(rng: np.random.RandomState, widths: list[int]):
    X = rng.rand(widths[0], 1)
    Y = rng.rand(widths[-1], 1)
    As = [rng.randn(o, i) for i, o in zip(widths, widths[1:], strict=False)]
    bs = [rng.randn(o, 1) for o in widths[1:]]
    return X, Y, As, bs


def _autograd(X, Y, As, bs) -> tuple[list, list]:
    params = [torch.tensor(t, requires_grad=True) for t in As + bs]
    y = torch.tensor(X)
    for ell, (A, b) in enumerate(zip(params[:len(As)], params[len(As):], strict=True)):
        z = A @ y + b
        y = z if ell == len(As) - 1 else torch.sigmoid(z)
    (0.5 * (y - torch.tensor(Y)).pow(2).sum()).backward()
    return [p.grad for p in params[:len(As)]], [p.grad for p in params[len(As):]]


@check("mlp_backprop.py", 50, "backprop: every layer's dloss/dA and dloss/db equal autograd",
       registry=CHECKS)
def backprop(rng: np.random.RandomState) -> Case:
    cases, wants = [], []
    for widths in ([4, 4, 4, 4, 4, 4, 1], [3, 5, 2, 1], [2, 1]):
        X, Y, As, bs = _mlp(rng, widths)
        cases.append({"widths": widths, "X": X, "Y": Y, "As": As, "bs": bs})
        wants.append(_autograd(X, Y, As, bs))

    def verdict(answer) -> str:
        got = items(field(answer, "cases"), "cases", len(cases))
        for case, g, (want_A, want_b) in zip(cases, got, wants, strict=True):
            widths = case["widths"]
            dAs, dbs = items(field(g, "dAs"), "dAs"), items(field(g, "dbs"), "dbs")
            require(len(dAs) == len(want_A) and len(dbs) == len(want_b),
                    f"{len(dAs)} / {len(dbs)} gradients for {len(want_A)} layers")
            for ell in range(len(want_A)):
                close(dAs[ell], want_A[ell], f"dloss/dA_{ell + 1} (widths {widths})",
                      atol=1e-12, rtol=1e-9)
                db = array(dbs[ell], "dloss/db")
                require(db.size == want_b[ell].numel(), f"dloss/db_{ell + 1} (widths "
                        f"{widths}) has {db.size} entries, expected {want_b[ell].numel()}")
                close(db.reshape(tuple(want_b[ell].shape)), want_b[ell],
                      f"dloss/db_{ell + 1} (widths {widths})", atol=1e-12, rtol=1e-9)
        return "ok: equals autograd"

    return Case({"cases": cases}, verdict)


CONVS = [[1, 96, 4, 0], [96, 96, 3, 0], [96, 256, 5, 2], [256, 384, 3, 1], [384, 384, 3, 1],
         [384, 256, 3, 1]]


def memo_param_count() -> int:
    """Hand count: conv k*k*C_in*C_out + C_out, linear in*out + out."""
    return (sum(k * k * i * o + o for i, o, k, _ in CONVS) + 6400 * 800 + 800 + 800 * 10 + 10)


@check("label_memorization.py", 20, "AlexNetMemo: the hand parameter count, 1x28x28 -> 10 "
       "logits, dropout only in train mode; computes the course's layers (on the checker's "
       "weights)", registry=CHECKS)
def alexnet_memo(rng: np.random.RandomState) -> Case:
    seed, fill_seed, dropout_seed = (int(s) for s in rng.randint(2**31, size=3))
    x = rng.rand(2, 1, 28, 28).astype(np.float32)
    reference = alexnet_memorization()  # the docstring's layers (mfdnn.models.alexnet)
    shapes = [list(s) for s in fill_(reference, fill_seed)]
    reference.eval()
    with torch.no_grad():
        want = reference(torch.tensor(x))

    def verdict(answer) -> str:
        count = integer(field(answer, "count"), "count")
        require(count == memo_param_count(), f"AlexNetMemo has {count} parameters, the hand "
                f"count is {memo_param_count()}")
        convs = field(answer, "convs")
        require(convs == CONVS, f"convolutions {shown(convs, 200)}")
        out = array(field(answer, "out"), "out")
        require(out.shape == (2, 10), f"output shape {out.shape}, not (2, 10)")
        close(field(answer, "again"), out, "eval mode is deterministic", atol=0)
        train = array(field(answer, "train"), "train")
        require(not np.array_equal(train, out), "no dropout is active in train mode")
        require(field(answer, "shapes") == shapes, "the parameters are not those of the "
                "docstring's layers in order")
        close(out, want, "AlexNetMemo(x) in eval mode on the checker's weights (the "
              "docstring's layers)", atol=1e-4, rtol=1e-4)
        return "ok"

    return Case({"seed": seed, "fill_seed": fill_seed, "dropout_seed": dropout_seed, "x": x},
                verdict)


@check("label_memorization.py", 15, "random_label_subset: randperm then randint, as the "
       "course draws them", registry=CHECKS)
def random_label_subset(rng: np.random.RandomState) -> Case:
    n, subset, seed = int(rng.randint(500, 1500)), int(rng.randint(30, 90)), \
        int(rng.randint(2**31))
    torch.manual_seed(seed)
    index = torch.randperm(n)[:subset]
    labels = torch.randint(0, 10, (subset,))
    images = torch.arange(n).reshape(n, 1, 1, 1).float()[index]

    def verdict(answer) -> str:
        close(field(answer, "images"), images, f"the chosen images (first {subset} of "
              "randperm)", atol=0)
        close(field(answer, "labels"), labels, "the random labels (randint after randperm)",
              atol=0)
        return "ok: same draws"

    return Case({"n": n, "subset": subset, "seed": seed}, verdict)


@check("label_memorization.py", 15, "accuracy: fraction correct in eval mode (dropout off), "
       "over all batches", registry=CHECKS)
def accuracy(rng: np.random.RandomState) -> Case:
    init_seed = int(rng.randint(2**31))
    x = rng.randn(250, 1, 2, 2).astype(np.float32)
    y = rng.randint(0, 3, 250).astype(np.int64)
    torch.manual_seed(init_seed)
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.9), nn.Linear(4, 3))
    model.eval()
    with torch.no_grad():
        want = (model(torch.tensor(x)).argmax(1) == torch.tensor(y)).double().mean().item()

    def verdict(answer) -> str:
        close(field(answer, "accuracy"), want, "accuracy (eval mode, batches of 100)",
              atol=1e-12)
        return "ok"

    return Case({"init_seed": init_seed, "x": x, "y": y}, verdict)
