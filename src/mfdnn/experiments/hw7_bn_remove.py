"""HW7 P3 (``bn_remove.py``): fold BatchNorm into the preceding layers.

``smallNetTrain`` (conv-BN-ReLU twice, FC-BN-ReLU, FC-ReLU; 16,793,370 parameters;
``mfdnn.models.smallnet``) is trained first, since the course's saved ``smallNetSaved`` is
not available, and cached in the artifacts folder (``core/artifacts.py``; ``--set
checkpoint=PATH`` loads the original state dict instead). Then ``smallNetTest``, the same
network without BN, gets

    W' = W gamma / sqrt(sigma^2 + eps),   b' = (b - mu) gamma / sqrt(sigma^2 + eps) + beta

per output channel / row (computed in float64, then cast; ``mfdnn.analysis.bn_fold``), fc2
copied. The homework's check: over the test set in batches of 100 (no shuffling), the
maximum over batches of ||model(x) - model_test(x)||^2 must be below 1e-8.

Data: the course trains and checks on CIFAR-10, which is not available offline. By default
the network is trained on MNIST digits made 3 x 32 x 32 (padded by 2, grey copied to the three
channels), and checked on 10,000 random images in [0, 1]^{3 x 32 x 32}; the identity holds
for any input. ``--set data=cifar10`` uses CIFAR-10 for both where it is available.

metrics.json:
  max_sq_diff       max over batches of ||model(x) - model_test(x)||^2 (the homework's check)
  passed            max_sq_diff < 1e-8
  num_params        parameters of smallNetTrain (16,793,370)
  num_params_test   parameters of smallNetTest
  train_accuracy    accuracy of the trained smallNetTrain on its training data (eval mode)
  trained_now       whether this run trained the network (false: loaded from the cache)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import torch
import torch.nn.functional as F

from mfdnn import data
from mfdnn.analysis import count_parameters
from mfdnn.experiments.core.artifacts import CachedModel, cached_model
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models.smallnet import SmallNetTest, SmallNetTrain, fold_into
from mfdnn.train import cross_entropy_loss, evaluate_classifier


@dataclass
class Config:
    data: Literal["substitute", "cifar10"] = "substitute"
    train_size: int | None = None  # None: the whole training set
    epochs: int = 1
    lr: float = 0.01
    momentum: float = 0.9
    batch_size: int = 100
    test_size: int = 10000
    test_batch_size: int = 100
    threshold: float = 1e-8
    checkpoint: str | None = None  # the course's smallNetSaved, if you have it


def training_images(cfg: Config, ctx: RunContext) -> tuple[torch.Tensor, torch.Tensor]:
    """3 x 32 x 32 training images in [0, 1] and labels: CIFAR-10, or MNIST made RGB."""
    if cfg.data == "cifar10":
        train = data.load("cifar10", "train").subset(slice(0, cfg.train_size))
        return train.float01(ctx.device), train.labels.to(ctx.device)
    train = data.load("mnist", "train").subset(slice(0, cfg.train_size))
    x = F.pad(train.float01(ctx.device), (2, 2, 2, 2)).expand(-1, 3, -1, -1).contiguous()
    return x, train.labels.to(ctx.device)


def test_images(cfg: Config, ctx: RunContext) -> torch.Tensor:
    if cfg.data == "cifar10":
        return data.load("cifar10", "test").subset(slice(0, cfg.test_size)).float01(ctx.device)
    generator = torch.Generator().manual_seed(ctx.seed)
    return torch.rand(cfg.test_size, 3, 32, 32, generator=generator).to(ctx.device)


def train_smallnet(cfg: Config, ctx: RunContext, model: SmallNetTrain) -> dict[str, Any]:
    """SGD with momentum, shuffled batches; then the accuracy on the training images."""
    X, Y = training_images(cfg, ctx)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum)
    ctx.fit(model, cross_entropy_loss, optimizer, (X, Y), epochs=cfg.epochs,
            batch_size=cfg.batch_size, desc="smallNetTrain")
    accuracy = evaluate_classifier(model, X, Y)["accuracy"]
    ctx.log(f"trained smallNetTrain (training accuracy {accuracy:.3f})")
    return {"train_accuracy": accuracy}


def trained_smallnet(cfg: Config, ctx: RunContext) -> CachedModel:
    """The trained network: the user's checkpoint, the cached one, or a fresh training."""
    recipe = {"model": "smallNetTrain", "data": cfg.data, "train_size": cfg.train_size,
              "epochs": cfg.epochs, "lr": cfg.lr, "momentum": cfg.momentum,
              "batch_size": cfg.batch_size, "seed": ctx.seed}
    return cached_model(ctx, "smallnet", recipe, SmallNetTrain, partial(train_smallnet, cfg, ctx),
                        cfg.checkpoint)


@experiment(
    "hw7-bn-remove",
    title="Folding BatchNorm into the preceding conv / linear layers",
    group="HW7",
    config=Config,
    metrics=("max_sq_diff", "num_params", "num_params_test"),
    quick=dict(train_size=1000, test_size=1000),
    quick_note="the network trained on 1,000 images and checked on 1,000",
    references={"max_sq_diff": Reference(1e-8, "HW7 P3: pass if below 1e-8"),
                "num_params": Reference(16_793_370, "HW7 P3")},
    # the folding is an identity of the eval-mode network: it holds for any weights and any
    # input, so the substitute training data and random test images do not void it
    claims=(
        Claim("max_sq_diff", "<", 1e-8, "HOMEWORK.md HW7 P3: pass if below 1e-8",
              ("quick", "laptop", "full")),
        Claim("num_params", "within", 16_793_370, "HOMEWORK.md HW7 P3", ("quick", "laptop", "full"),
              tolerance=0),
        Claim("num_params_test", "within", 16_791_258, "mathematics: 16,793,370 less the "
              "2 x (16 + 16 + 1024) BN parameters", ("quick", "laptop", "full"), tolerance=0),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    if cfg.data == "substitute":
        ctx.substitute("cifar10", "MNIST made 3 x 32 x 32 (training), random images (check)",
                       "CIFAR-10 is not available offline: smallNetTrain is trained on MNIST "
                       "made 3 x 32 x 32, and the folding is checked on random images in "
                       "[0, 1] (the identity holds for any input)")
    trained = trained_smallnet(cfg, ctx)
    model = trained.model
    folded = fold_into(SmallNetTest().to(ctx.device), model).eval()
    X = test_images(cfg, ctx)
    worst = 0.0
    with torch.no_grad():
        for xb in X.split(cfg.test_batch_size):
            worst = max(worst, (model(xb) - folded(xb)).pow(2).sum().item())
    ctx.print(f"max over batches of ||model(x) - model_test(x)||^2 = {worst:.3e} "
              f"({'pass' if worst < cfg.threshold else 'FAIL'}: threshold {cfg.threshold:g})")
    ctx.info.update(checkpoint=trained.source)
    metrics: dict[str, Any] = {
        "max_sq_diff": worst,
        "passed": worst < cfg.threshold,
        "num_params": count_parameters(model),
        "num_params_test": count_parameters(folded),
        "trained_now": trained.trained_now,
    }
    if "train_accuracy" in trained.info:  # not known for the user's own checkpoint
        metrics["train_accuracy"] = trained.info["train_accuracy"]
    return metrics
