"""HW11 P3 (``flow_anomaly.py``): anomaly detection by NICE's log-likelihood.

The MNIST test set is split by ``random_split`` into 5,000 test / 5,000 validation images
(one ``randperm`` of torch's generator, seeded here; the starter left it unseeded). With
the NICE of ``hw10-nice-train`` (clean pixels in [0, 1], batch 128):

1. log p(x) of every validation image;
2. threshold = mean - 3 std (population std);
3. log p(x) < threshold means "anomaly".

Type I error: MNIST test images flagged; type II error: anomaly images (KMNIST test, or
Fashion-MNIST's offline; ``anomaly_dataset``) with log p >= threshold.

metrics.json:
  val_ll_mean, val_ll_std, threshold      the rule (nats)
  type1_error, type2_error                the two error rates
  type1_count, type2_count                the starter's printed counts
  anomaly_ll_mean                         mean log p of the anomaly images
  anomaly_dataset                         "kmnist" or "fashion-mnist"
  nice_checkpoint                         the model file used
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import torch

from mfdnn import data
from mfdnn.anomaly import detect
from mfdnn.experiments._anomaly_data import AnomalyChoice, anomaly_test_set
from mfdnn.experiments.core.artifacts import pretrained
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.plotting import plt
from mfdnn.train import predict


@dataclass
class Config:
    test_size: int = 5000  # random_split(MNIST test, [5000, 5000])
    val_size: int = 5000
    anomaly_size: int | None = None
    batch_size: int = 128
    k_std: float = 3.0
    dataset: AnomalyChoice = "auto"
    nice_profile: Literal["quick", "laptop", "full"] = "full"
    nice_checkpoint: str | None = None


@experiment(
    "hw11-flow-anomaly",
    title="Anomaly detection by NICE log-likelihood: MNIST normal, KMNIST (or Fashion) anomalous",
    group="HW11",
    config=Config,
    metrics=("val_ll_mean", "val_ll_std", "threshold", "type1_error", "type2_error",
             "anomaly_dataset", "anomaly_ll_mean"),
    quick=dict(nice_profile="quick", test_size=1000, val_size=1000, anomaly_size=1000),
    quick_note="the quick profile's small NICE; 1,000 images per set",
    laptop=dict(nice_profile="laptop"),
    laptop_note="the course's procedure with the laptop profile's NICE (shorter training)",
    claims=(
        # Cantelli: P(X < mean - k std) <= 1 / (1 + k^2) = 10%; the test images are drawn
        # from the validation images' distribution
        Claim("type1_error", "<=", 0.1, "mathematics: Cantelli's inequality, k = 3",
              profiles=("quick", "laptop", "full")),
        Claim("anomaly_ll_mean", "<", "val_ll_mean",
              "HOMEWORK.md HW11 P3: anomalies are less likely",
              profiles=("quick", "laptop", "full")),
        Claim("type2_error", "<=", 0.1, "HOMEWORK.md HW11 P3: both error rates small",
              data=("kmnist",), note="quick's small NICE is trained for 80 steps"),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    nice = pretrained(ctx, "hw10-nice-train", cfg.nice_profile, cfg.nice_checkpoint)
    log_p = nice.model.log_prob
    mnist_test = data.load("mnist", "test")
    order = torch.randperm(len(mnist_test))  # random_split(test, [5000, 5000]), seeded
    test_x = mnist_test.subset(order[:cfg.test_size]).float01(ctx.device).flatten(1)
    val_x = mnist_test.subset(order[len(mnist_test) - cfg.val_size:]).float01(ctx.device)
    val_x = val_x.flatten(1)
    anomalies, anomaly_name = anomaly_test_set(cfg.dataset, ctx)
    anomaly_x = anomalies.subset(slice(0, cfg.anomaly_size)).float01(ctx.device).flatten(1)

    val_ll = predict(log_p, val_x, cfg.batch_size)  # 1. log p(x) of the validation images
    test_ll = predict(log_p, test_x, cfg.batch_size)
    anomaly_ll = predict(log_p, anomaly_x, cfg.batch_size)
    det = detect(val_ll, test_ll, anomaly_ll, k=cfg.k_std, high_is_anomalous=False)
    ctx.print(f"validation log-likelihood mean {det.mean:.2f}, std {det.std:.2f}, threshold "
              f"{det.threshold:.2f}")
    ctx.print(f"{det.type1_count} type I errors among {det.normal_count} data")
    ctx.print(f"{det.type2_count} type II errors among {det.anomaly_count} data")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    everything = torch.cat([val_ll, test_ll, anomaly_ll]).cpu().numpy()
    low, high = np.percentile(everything, [0.5, 99.5])
    bins = np.linspace(min(low, det.threshold) - 50, high + 50, 80)
    ax.hist(test_ll.cpu().numpy(), bins=bins, alpha=0.6, label="MNIST test")
    ax.hist(anomaly_ll.cpu().numpy(), bins=bins, alpha=0.6, label=anomaly_name)
    ax.axvline(det.threshold, color="k", ls="--", label="threshold (mean - 3 std)")
    ax.set_xlabel("log p(x) (nats)")
    ax.legend()
    ctx.savefig(fig, "log_likelihoods")
    return {
        "val_ll_mean": det.mean,
        "val_ll_std": det.std,
        "threshold": det.threshold,
        "type1_error": det.type1_error,
        "type2_error": det.type2_error,
        "type1_count": det.type1_count,
        "type2_count": det.type2_count,
        "anomaly_ll_mean": anomaly_ll.mean().item(),
        "anomaly_dataset": anomaly_name,
        "nice_checkpoint": nice.source,
    }
