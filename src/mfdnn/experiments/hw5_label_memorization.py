"""HW5 P6 (``label_memorization.py``): a network memorises random labels (Zhang et al. 2017).

A 10% subset of MNIST (6,000 images) gets labels drawn uniformly at random, once. The
course's AlexNet variant for 1 x 28 x 28 (``mfdnn.models.alexnet.alexnet_memorization``:
conv 4x4 96, conv 3x3 96, conv 5x5 p2 256, max-pool 3/2, conv 3x3 p1 384, 384, 256, max-pool
3/2, dropout 0.5, FC 6400 -> 800 -> 10; 8,925,738 parameters) is trained with cross-entropy,
SGD lr 0.1 without momentum, batch 64 shuffled, 150 epochs, pixels in [0, 1], PyTorch's
default initialisation. After a long plateau (loss near log 10, accuracy near chance) the
training accuracy on the random labels climbs toward 100%, while the accuracy on the real
test labels stays at chance: the network memorises, it does not generalise.

Draws, in the official order: ``torch.manual_seed(seed)``; the subset is the first
``train_size`` entries of ``randperm(60000)``; labels ``randint(0, 10, (train_size,))``; then
the model; then the shuffled batches (drawn as the course's ``DataLoader`` draws them).
Per epoch: the mean training loss over the batches, and the accuracy on the whole training
subset (random labels) in eval mode (dropout off). Quirk: the official solution never
switches back to train mode after its first accuracy check, so dropout is active only in
epoch 1; the default calls ``train()`` every epoch, ``--set dropout_bug=true`` reproduces it.

``full`` is about 4 PFLOP of training: hours on a 2-core CPU, minutes on a GPU. The images
and the network are kept in ``channels_last`` memory (the same function; 1.1x-1.4x faster
steps on a 2-core CPU here; ``--set channels_last=false`` for the plain layout) and SGD
uses PyTorch's fused kernel; ``--amp`` (bf16 autocast on a CPU with native bf16, or a GPU)
was a further 2.4x-4.7x on such a CPU (``benchmarks/epoch_speed.py memorization``).

metrics.json:
  num_params              trainable parameters of the network
  train_accuracy          final accuracy on the training subset, random labels
  test_accuracy           final accuracy on the MNIST test set, true labels
  train_accuracy_curve    training accuracy after each epoch (list)
  loss_curve              mean training loss of each epoch (list)
  epoch_first_50pct       first epoch with training accuracy >= 50% (-1: never)
  train_seconds           training wall time (evaluation excluded)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from mfdnn import data
from mfdnn.analysis import count_parameters
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models.alexnet import alexnet_memorization
from mfdnn.plotting import plt
from mfdnn.train import cross_entropy_loss, evaluate_classifier
from mfdnn.train.optimizers import sgd


@dataclass
class Config:
    train_size: int = 6000
    epochs: int = 150
    lr: float = 0.1
    batch_size: int = 64
    width: float = 1.0  # channel and hidden-unit multiplier of the network
    test_size: int | None = None  # None: all 10,000 test images
    dropout_bug: bool = False
    channels_last: bool = True  # memory layout only: same function, faster on the CPU


HAND = "mathematics: hand count, HOMEWORK.md HW5 P6 network"
_OTHER = "a count of another profile's network (each profile claims its own width's)"
_UNTRAINED = ("quick's 3 epochs do not leave the plateau: the untrained network predicts one "
              "class, whose share of the test set is not 10%")
# the network is scaled by ``width``: each profile has its own exact count (channels
# 96, 96, 256, 384, 384, 256 and 800 hidden units, times 1, 1/4, 1/8)
CLAIMS = (
    Claim("num_params", "within", 8_925_738, HAND, ("full",), tolerance=0,
          note=_OTHER),
    Claim("num_params", "within", 560_082, HAND + " at width 1/4", ("laptop",), tolerance=0,
          note=_OTHER),
    Claim("num_params", "within", 140_766, HAND + " at width 1/8", ("quick",), tolerance=0,
          note=_OTHER),
    Claim("train_accuracy", ">=", 0.95, "HOMEWORK.md HW5 P6: training accuracy reaches about "
          "100%", note="quick's 3 epochs on 128 images are too short to memorise"),
    Claim("test_accuracy", "within", 0.1, "HOMEWORK.md HW5 P6: test accuracy stays near 10%",
          tolerance=0.05, note=_UNTRAINED),
)


def random_label_subset(train_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(subset indices, random labels) drawn in the official order from the global generator."""
    index = torch.randperm(60000)[:train_size]
    labels = torch.randint(0, 10, (train_size,))
    return index, labels


@experiment(
    "hw5-label-memorization",
    title="Memorising random labels: training accuracy -> 100%, test accuracy at chance",
    group="HW5",
    config=Config,
    metrics=("num_params", "train_accuracy", "test_accuracy", "train_accuracy_curve",
             "epoch_first_50pct"),
    quick=dict(train_size=128, epochs=3, width=0.125, test_size=500),
    quick_note="128 images, a network 1/8 as wide, 3 epochs (too short to memorise)",
    laptop=dict(train_size=512, epochs=450, width=0.25),
    laptop_note="512 images (not 6,000), a network 1/4 as wide (channels 24-96, 200 hidden "
                "units), 450 epochs (3,600 steps of batch 64): the plateau and the "
                "memorisation in about 15 minutes on 2 cores; full (the course's) needs a GPU",
    references={"train_accuracy": Reference(1.0, "course: about 100% after 150 epochs"),
                "test_accuracy": Reference(0.1, "course: chance level")},
    claims=CLAIMS,
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    if ctx.profile == "full" and ctx.device.type == "cpu":
        ctx.note("the full profile (the course's settings, about 4 PFLOP of training) needs a "
                 "GPU: on a 2-core CPU it takes many hours; the laptop profile shows the "
                 "phenomenon in minutes")
    train_set, test_set = data.load("mnist", "train"), data.load("mnist", "test")
    ctx.reseed()
    index, labels = random_label_subset(cfg.train_size)
    X = train_set.subset(index).float01(ctx.device)
    Y = labels.to(ctx.device)
    test = test_set.subset(slice(0, cfg.test_size))
    X_test, Y_test = test.float01(ctx.device), test.labels.to(ctx.device)
    model = alexnet_memorization(cfg.width).to(ctx.device)
    if cfg.channels_last:
        model = model.to(memory_format=torch.channels_last)
        X = X.contiguous(memory_format=torch.channels_last)
        X_test = X_test.contiguous(memory_format=torch.channels_last)
    num_params = count_parameters(model)
    optimizer = sgd(model.parameters(), ctx.device, lr=cfg.lr)
    if cfg.dropout_bug:
        ctx.note("dropout_bug=true: the model stays in eval mode (dropout off) after the "
                 "first epoch's accuracy check, as in the official solution")
    result = ctx.fit(
        model, cross_entropy_loss, optimizer, (X, Y),
        epochs=cfg.epochs, batch_size=cfg.batch_size, shuffle=True,
        evaluate=lambda m, _epoch: {"train_accuracy": evaluate_classifier(m, X, Y)["accuracy"]},
        train_mode_every_epoch=not cfg.dropout_bug, checkpoint="memorize", desc="random labels",
    )
    curve = result.curve("train_accuracy")
    test_accuracy = evaluate_classifier(model, X_test, Y_test)["accuracy"]
    first = next((h["epoch"] for h in result.history if h["train_accuracy"] >= 0.5), -1)
    ctx.print(f"{num_params:,d} parameters; train accuracy (random labels) {curve[-1]:.4f}, "
              f"test accuracy (true labels) {test_accuracy:.4f}; >= 50% from epoch {first}")

    fig, ax = plt.subplots(figsize=(7, 4))
    epochs = range(1, len(curve) + 1)
    ax.plot(epochs, curve, color="tab:blue", label="training accuracy (random labels)")
    ax.axhline(0.1, color="grey", ls=":", lw=1)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training accuracy", color="tab:blue")
    ax.set_ylim(0, 1.02)
    twin = ax.twinx()
    twin.plot(epochs, result.curve("loss"), color="tab:red", label="training loss")
    twin.axhline(math.log(10), color="tab:red", ls=":", lw=1)
    twin.set_ylabel("mean training loss", color="tab:red")
    ax.set_title(f"Random labels, {cfg.train_size} MNIST images: test accuracy "
                 f"{test_accuracy:.1%} (true labels)")
    ctx.savefig(fig, "memorization")
    return {
        "num_params": num_params,
        "train_accuracy": curve[-1],
        "test_accuracy": test_accuracy,
        "train_accuracy_curve": curve,
        "loss_curve": result.curve("loss"),
        "epoch_first_50pct": first,
        "train_seconds": round(result.seconds, 2),
    }
