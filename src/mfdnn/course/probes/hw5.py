"""HW5 probes: ``mlp_backprop.py`` and ``label_memorization.py``."""

from __future__ import annotations

import torch
from torch import nn

from ._common import attr, fill_, floats, number, pair, tensor


def backprop(mod, req):
    fn = attr(mod, "backprop")
    out = []
    for case in req["cases"]:
        As = [tensor(A) for A in case["As"]]
        bs = [tensor(b) for b in case["bs"]]
        dAs, dbs = pair(fn(tensor(case["X"]), tensor(case["Y"]), As, bs), 2,
                        "backprop must return (list of dA, list of db)")
        out.append({"dAs": [floats(g, "dloss/dA") for g in dAs],
                    "dbs": [floats(g, "dloss/db") for g in dbs]})
    return {"cases": out}


def alexnet_memo(mod, req):
    """Claims about the network (count, convolutions, train-mode dropout) and what it computes
    on the judge's images after its parameters are overwritten with the judge's values."""
    torch.manual_seed(req["seed"])
    model = attr(mod, "AlexNetMemo")()
    count = int(sum(p.numel() for p in model.parameters() if p.requires_grad))
    convs = [[m.in_channels, m.out_channels, m.kernel_size[0], m.padding[0]]
             for m in model.modules() if isinstance(m, nn.Conv2d)]
    shapes = [list(s) for s in fill_(model, req["fill_seed"])]
    x = tensor(req["x"], "float32")
    model.eval()
    with torch.no_grad():
        out = floats(model(x), "AlexNetMemo()(x)")
        again = floats(model(x), "AlexNetMemo()(x)")
        model.train()
        torch.manual_seed(req["dropout_seed"])
        train = floats(model(x), "AlexNetMemo()(x) in train mode")
    return {"count": count, "convs": convs, "shapes": shapes, "out": out, "again": again,
            "train": train}


def random_label_subset(mod, req):
    fn = attr(mod, "random_label_subset")
    images = torch.arange(req["n"]).reshape(req["n"], 1, 1, 1).float()
    got_images, got_labels = pair(fn(images, req["subset"], req["seed"]), 2,
                                  "random_label_subset must return (images, labels)")
    return {"images": floats(got_images, "the images"),
            "labels": floats(got_labels, "the labels")}


def accuracy(mod, req):
    fn = attr(mod, "accuracy")
    torch.manual_seed(req["init_seed"])
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.9), nn.Linear(4, 3))
    model.train()
    got = fn(model, tensor(req["x"], "float32"), tensor(req["y"], "int64"), 100)
    return {"accuracy": number(got, "accuracy")}
