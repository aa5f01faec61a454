"""HW9 P1 (``anomaly_detection.py``): anomaly detection with an MLP autoencoder.

Normal data are MNIST digits, anomalies the KMNIST test set (or, offline, Fashion-MNIST's;
``anomaly_dataset`` says which). The MNIST training set is split 50,000 / 10,000 into
train / validation by ``random_split`` (one ``randperm`` of torch's generator, seeded here;
the starter left it unseeded). The autoencoder (784-256-128-32 / 32-128-256-784, ReLU
everywhere, the code included, sigmoid output) trains with MSE, Adam lr 1e-3, batch 100
shuffled, 10 epochs.

Score s(X) = ||X - D(E(X))||^2 summed over pixels; threshold = mean + 3 std of the
validation scores (population std), computed over the whole validation set.

* type I error  = share of the 10,000 MNIST test images with s > threshold;
* type II error = share of the anomaly images with s <= threshold.

metrics.json:
  threshold, type1_error, type2_error     the detection rule and its two error rates
  type1_count, type2_count                the starter's printed counts
  val_score_mean, val_score_std           the validation scores' mean and std
  anomaly_score_mean                      the anomaly images' mean score
  anomaly_dataset                         "kmnist" or "fashion-mnist"
  final_train_mse                         the last epoch's mean training loss
  first_train_mse                         the first iteration's loss (the untrained model)
  train_mse_curve                         mean training loss per epoch (per iteration: loss.png)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from mfdnn import data
from mfdnn.anomaly import detect
from mfdnn.experiments._anomaly_data import AnomalyChoice, anomaly_test_set
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.models.autoencoder import MLPAutoencoder, reconstruction_loss, reconstruction_scores
from mfdnn.plotting import plt
from mfdnn.samples import image_grid


@dataclass
class Config:
    epochs: int = 10
    lr: float = 1e-3
    batch_size: int = 100
    train_size: int = 50000  # the random_split of the 60,000 training images
    val_size: int = 10000
    test_size: int | None = None
    k_std: float = 3.0
    dataset: AnomalyChoice = "auto"  # the anomaly set: kmnist when available


class _LossRecorder:
    """The reconstruction loss, remembering every iteration's value for ``loss.png``."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def __call__(self, model: MLPAutoencoder, x: torch.Tensor) -> torch.Tensor:
        loss = reconstruction_loss(model, x)
        self.values.append(loss.item())
        return loss


@experiment(
    "hw9-anomaly-detection",
    title="Autoencoder anomaly detection: MNIST normal, KMNIST (or Fashion-MNIST) anomalous",
    group="HW9",
    config=Config,
    metrics=("threshold", "type1_error", "type2_error", "anomaly_dataset", "final_train_mse",
             "first_train_mse", "val_score_mean", "anomaly_score_mean"),
    quick=dict(epochs=1, train_size=10000, val_size=2000, test_size=2000),
    quick_note="1 epoch on 10,000 training images; 2,000 validation and 2,000 test images",
    claims=(
        Claim("final_train_mse", "<", "first_train_mse", "sanity: training lowers the MSE",
              profiles=("quick", "laptop", "full")),
        # Cantelli: P(s > mean + k std) <= 1 / (1 + k^2) = 10%; the test images are drawn
        # from the validation images' distribution
        Claim("type1_error", "<=", 0.1, "mathematics: Cantelli's inequality, k = 3",
              profiles=("quick", "laptop", "full")),
        Claim("anomaly_score_mean", ">", "val_score_mean",
              "HOMEWORK.md HW9 P1: anomalies reconstruct worse",
              profiles=("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    mnist = data.load("mnist", "train")
    ctx.reseed()
    order = torch.randperm(len(mnist))  # random_split(mnist, [50000, 10000]), seeded
    train_x = mnist.subset(order[:cfg.train_size]).float01(ctx.device)
    val_x = mnist.subset(order[len(mnist) - cfg.val_size:]).float01(ctx.device)
    test_x = data.load("mnist", "test").subset(slice(0, cfg.test_size)).float01(ctx.device)
    anomalies, anomaly_name = anomaly_test_set(cfg.dataset, ctx)
    anomaly_x = anomalies.subset(slice(0, cfg.test_size)).float01(ctx.device)

    model = MLPAutoencoder().to(ctx.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    loss_fn = _LossRecorder()
    result = ctx.fit(model, loss_fn, optimizer, (train_x,), epochs=cfg.epochs,
                     batch_size=cfg.batch_size, shuffle=True, checkpoint="ae",
                     desc="autoencoder")

    anomaly_scores = reconstruction_scores(model, anomaly_x)
    det = detect(reconstruction_scores(model, val_x), reconstruction_scores(model, test_x),
                 anomaly_scores, k=cfg.k_std, high_is_anomalous=True)
    ctx.print(f"threshold {det.threshold:.3f} (validation mean {det.mean:.3f} + {cfg.k_std:g} std "
              f"{det.std:.3f})")
    ctx.print(f"{det.type1_count} type I errors among {det.normal_count} data")
    ctx.print(f"{det.type2_count} type II errors among {det.anomaly_count} data")

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(loss_fn.values)
    ax.set_xlabel("iteration")
    ax.set_ylabel("MSE loss")
    ax.set_yscale("log")
    ax.set_title("autoencoder training loss")
    ctx.savefig(fig, "loss")
    with torch.no_grad():
        model.eval()
        shown = torch.cat([test_x[:8], model(test_x[:8]), anomaly_x[:8], model(anomaly_x[:8])])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.imshow(image_grid(shown.cpu(), nrow=8), cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"rows: MNIST, its reconstruction, {anomaly_name}, its reconstruction")
    ax.axis("off")
    ctx.savefig(fig, "reconstructions")
    return {
        "threshold": det.threshold,
        "type1_error": det.type1_error,
        "type2_error": det.type2_error,
        "type1_count": det.type1_count,
        "type2_count": det.type2_count,
        "val_score_mean": det.mean,
        "val_score_std": det.std,
        "anomaly_score_mean": anomaly_scores.mean().item(),
        "anomaly_dataset": anomaly_name,
        "final_train_mse": result.last("loss"),
        "first_train_mse": loss_fn.values[0],
        "train_mse_curve": result.curve("loss"),
    }
