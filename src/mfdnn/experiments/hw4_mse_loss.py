"""HW4 P5: a non-cross-entropy loss for logistic regression, MNIST 4 vs 9.

The model and data are the Chapter 2 minibatch demo (``ch2-logistic-mnist``, the same code
path, ``_two_digits.py``): score z = a^T x from Linear(784, 1, bias=False), f(x) =
(sigma(-z), sigma(z)) = (P(y = -1), P(y = +1)), every 4 (-> -1) and 9 (-> +1) of the MNIST
training set, SGD lr 2.55e-2, batch 64 shuffled, 3 epochs; a test image is correct iff
z y >= 0. Two losses, each a fresh run from the same seed (same initialisation and batch
order):

  (a) cross-entropy  -log sigma(y z)
  (b) squared distance between one-hot(y) and f:
      (1/2)(1 - y)[(1 - sigma(-z))^2 + sigma(z)^2] + (1/2)(1 + y)[sigma(-z)^2 + (1 - sigma(z))^2]

Expected: the two accuracies are close. The figure shows 3 misclassified and 3 correctly
classified test images for each loss. The original set no seed; we use seed 0.

metrics.json:
  accuracy_ce, accuracy_mse     test accuracy with each loss
  accuracy_gap                  |accuracy_ce - accuracy_mse|
  accuracy_ce_curve, accuracy_mse_curve   after each epoch
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mfdnn.experiments._threads import single_thread
from mfdnn.experiments._two_digits import train_binary, two_digits
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models.shallow import logistic_loss_torch, probability_squared_loss
from mfdnn.plotting import plt
from mfdnn.train import predict

ALL_PROFILES = ("quick", "laptop", "full")


@dataclass
class Config:
    lr: float = 2.55e-2
    batch_size: int = 64
    epochs: int = 3
    train_size: int | None = None  # None: every 4 and 9 of the training set
    test_size: int | None = None


@experiment(
    "hw4-mse-loss",
    title="Logistic regression with cross-entropy vs squared-distance loss, MNIST 4 vs 9",
    group="HW4",
    config=Config,
    metrics=("accuracy_ce", "accuracy_mse", "accuracy_gap"),
    quick={},
    quick_note="the course's settings (the run takes about 5 s)",
    references={"accuracy_ce": Reference(0.9518, "Chapter 2 minibatch demo (course notebook)")},
    claims=(
        Claim("accuracy_ce", "within", 0.9518, "course notebook, Chapter 2 minibatch demo: "
              "95.18% (unseeded)", profiles=ALL_PROFILES, tolerance=0.02),
        Claim("accuracy_gap", "<=", 0.02, "HOMEWORK.md HW4 P5: the two accuracies are close",
              profiles=ALL_PROFILES),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    with single_thread(ctx.device.type == "cpu"):  # tiny model: one thread is faster
        return _run(cfg, ctx)


def _run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    train_set = two_digits("train", 4, 9, cfg.train_size)
    test_set = two_digits("test", 4, 9, cfg.test_size)
    train, test = train_set.tensors(ctx.device), test_set.tensors(ctx.device)
    curves, examples = {}, {}
    for name, loss in (("ce", logistic_loss_torch), ("mse", probability_squared_loss)):
        model, curves[name] = train_binary(cfg.lr, cfg.batch_size, cfg.epochs, ctx, train,
                                           test, loss=loss, desc=f"loss {name}")
        correct = (predict(model, test[0]) * test[1] >= 0).cpu()
        examples[name] = (correct.logical_not().nonzero().flatten()[:3].tolist(),
                          correct.nonzero().flatten()[:3].tolist())
        ctx.print(f"loss {name}: test accuracy {curves[name][-1]:.4f}")

    fig, axes = plt.subplots(2, 6, figsize=(12, 4.6))
    for row, name in zip(axes, ("ce", "mse"), strict=True):
        wrong, right = examples[name]
        for ax, (i, ok) in zip(row, [(i, False) for i in wrong] + [(i, True) for i in right],
                               strict=False):
            ax.imshow(test_set.images[i, 0].numpy(), cmap="gray")
            digit = 9 if test_set.labels[i] > 0 else 4
            ax.set_title(f"{name}: {'correct' if ok else 'wrong'} ({digit})", fontsize=9,
                         color="k" if ok else "r")
        for ax in row:
            ax.axis("off")
    fig.suptitle(f"accuracy: cross-entropy {curves['ce'][-1]:.4f}, "
                 f"squared distance {curves['mse'][-1]:.4f}")
    ctx.savefig(fig, "examples")
    return {"accuracy_ce": curves["ce"][-1], "accuracy_mse": curves["mse"][-1],
            "accuracy_gap": abs(curves["ce"][-1] - curves["mse"][-1]),
            "accuracy_ce_curve": curves["ce"], "accuracy_mse_curve": curves["mse"]}
