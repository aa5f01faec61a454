"""HW11 checks: ``flow_anomaly.py`` (batched log-likelihoods on the checker's model, the
threshold mean - 3 std, and the two error counts)."""

from __future__ import annotations

import numpy as np
import torch

from mfdnn.course.checker import Case, Check, check
from mfdnn.course.checks._util import array, close, field, items, number, require
from mfdnn.course.probes.hw11 import images, linear_model

CHECKS: list[Check] = []


@check("flow_anomaly.py", 40, "log_likelihoods: model(x) of every flattened image, over all "
       "batches", registry=CHECKS)
def log_likelihoods(rng: np.random.RandomState) -> Case:
    init_seed, image_seed = (int(s) for s in rng.randint(2**31, size=2))
    with torch.no_grad():
        want = linear_model(init_seed)(images(image_seed).reshape(-1, 784))

    def verdict(answer) -> str:
        close(array(field(answer, "ll"), "ll").reshape(-1), want,
              "log-likelihoods (batches of 128, 128, 44)", atol=1e-5)
        return "ok"

    return Case({"init_seed": init_seed, "image_seed": image_seed}, verdict)


@check("flow_anomaly.py", 30, "threshold: mean - 3 std of the validation log-likelihoods",
       registry=CHECKS)
def threshold(rng: np.random.RandomState) -> Case:
    ll = np.round(-rng.uniform(800, 2100, int(rng.randint(5, 12)))).astype(np.float32)
    t = torch.tensor(ll)
    population = (t.mean() - 3 * t.std(unbiased=False)).item()
    sample = (t.mean() - 3 * t.std()).item()

    def verdict(answer) -> str:
        got = number(field(answer, "threshold"), "threshold")
        require(abs(got - population) < 1e-2 or abs(got - sample) < 1e-2,
                f"threshold {got:.6g}; mean - 3 std is {population:.6g} (population std) or "
                f"{sample:.6g} (sample std)")
        return "ok"

    return Case({"ll": ll}, verdict)


@check("flow_anomaly.py", 30, "count_errors: type I below the threshold, type II at or above",
       registry=CHECKS)
def count_errors(rng: np.random.RandomState) -> Case:
    limit = -3.0
    test = np.concatenate([[limit], rng.choice([-5.0, -4.0, -1.0, 0.0, 2.0], 6)])
    anomalies = np.concatenate([[limit], rng.choice([-9.0, -4.0, -2.0, 1.0], 6)])
    rng.shuffle(test)
    rng.shuffle(anomalies)
    want = (int((test < limit).sum()), int((anomalies >= limit).sum()))

    def verdict(answer) -> str:
        counts = [array(v, "a count") for v in items(field(answer, "counts"), "counts", 2)]
        got = tuple(int(c) if c.shape == () else c.tolist() for c in counts)
        require(got == want, f"count_errors gives {got}; with threshold {limit:g}, "
                f"{want[0]} test values are below it and {want[1]} anomalies are at or above "
                f"it: {want}")
        return "ok"

    return Case({"test": test.astype(np.float32), "anomalies": anomalies.astype(np.float32),
                 "limit": limit}, verdict)
