"""HW11 checks: ``flow_anomaly.py`` (batched log-likelihoods on the checker's model, the
threshold mean - 3 std, and the two error counts)."""

from __future__ import annotations

import torch
from torch import nn

from mfdnn.course.checker import Check, check
from mfdnn.course.checks._util import attr, close, require

CHECKS: list[Check] = []


@check("flow_anomaly.py", 40, "log_likelihoods: model(x) of every flattened image, over all "
       "batches", registry=CHECKS)
def log_likelihoods(mod) -> str:
    fn = attr(mod, "log_likelihoods")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 1), nn.Flatten(0))
    images = torch.rand(300, 1, 28, 28)
    with torch.no_grad():
        want = model(images.reshape(-1, 784))
    close(torch.as_tensor(fn(model, images, 128)).detach().reshape(-1), want,
          "log-likelihoods (batches of 128, 128, 44)", atol=1e-5)
    return "ok"


@check("flow_anomaly.py", 30, "threshold: mean - 3 std of the validation log-likelihoods",
       registry=CHECKS)
def threshold(mod) -> str:
    fn = attr(mod, "threshold")
    ll = torch.tensor([-900.0, -950.0, -1000.0, -1020.0, -2000.0])
    population = (ll.mean() - 3 * ll.std(unbiased=False)).item()
    sample = (ll.mean() - 3 * ll.std()).item()
    got = float(fn(ll))
    require(abs(got - population) < 1e-3 or abs(got - sample) < 1e-3,
            f"threshold {got:.6g}; mean - 3 std is {population:.6g} (population std) or "
            f"{sample:.6g} (sample std)")
    return "ok"


@check("flow_anomaly.py", 30, "count_errors: type I below the threshold, type II at or above",
       registry=CHECKS)
def count_errors(mod) -> str:
    fn = attr(mod, "count_errors")
    test = torch.tensor([-5.0, -1.0, 0.0, 2.0, -3.0])
    anomalies = torch.tensor([-9.0, -3.0, -2.0, 1.0])
    got = tuple(int(v) for v in fn(test, anomalies, -3.0))
    require(got == (1, 3), f"count_errors gives {got}; with threshold -3, one test value is "
            "below it and three anomalies are at or above it: (1, 3)")
    return "ok"
