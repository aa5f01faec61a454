"""HW11 probes: ``flow_anomaly.py``."""

from __future__ import annotations

import torch
from torch import nn

from ._common import attr, floats, ints, number, pair, tensor


def linear_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(784, 1), nn.Flatten(0))


def images(seed: int) -> torch.Tensor:
    return torch.rand(300, 1, 28, 28, generator=torch.Generator().manual_seed(seed))


def log_likelihoods(mod, req):
    fn = attr(mod, "log_likelihoods")
    got = fn(linear_model(req["init_seed"]), images(req["image_seed"]), 128)
    return {"ll": floats(got, "log-likelihoods")}


def threshold(mod, req):
    fn = attr(mod, "threshold")
    return {"threshold": number(fn(tensor(req["ll"], "float32")), "threshold")}


def count_errors(mod, req):
    fn = attr(mod, "count_errors")
    got = fn(tensor(req["test"], "float32"), tensor(req["anomalies"], "float32"), req["limit"])
    type1, type2 = pair(got, 2, "count_errors must return (type I, type II)")
    return {"counts": [ints(type1, "type I errors"), ints(type2, "type II errors")]}
