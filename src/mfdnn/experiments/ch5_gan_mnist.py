"""Chapter 5.4 demo: a DCGAN on MNIST, scored by a trained digit classifier.

The DCGAN (:mod:`mfdnn.gan.dcgan`, latent z ~ N(0, I_100), images scaled to [-1, 1]) trains
by alternating steps (one discriminator step, then one generator step with the
non-saturating loss and a fresh z), Adam lr 2e-4, betas (0.5, 0.999), batch 128
(Radford et al. 2016).

The judge is LeNet-5 (:class:`mfdnn.models.lenet.LeNet5`, full C3) trained on MNIST with
Adam lr 1e-3 for a few epochs and cached in ``<cache>/artifacts/classifier/`` ("pretrained
if present, else train", ``core/artifacts.py``). Of ``num_samples`` generated digits:

* ``fake_accuracy_by_classifier``: the share that LeNet classifies with confidence > 0.9;
* ``class_coverage``: how many of the 10 digits appear, a digit appearing when at least
  1% of the samples are confidently classified as it.

metrics.json:
  fake_accuracy_by_classifier, class_coverage, class_counts (confident samples per digit),
  classifier_test_accuracy, epochs, final_d_loss, final_g_loss
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Any

import torch

from mfdnn import data
from mfdnn.experiments.core.artifacts import cached_model
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.gan import GAN, AlternatingStep, DCGANDiscriminator, DCGANGenerator
from mfdnn.models.lenet import LeNet5
from mfdnn.plotting import plt
from mfdnn.samples import image_grid
from mfdnn.train import cross_entropy_loss, evaluate_classifier, predict


@dataclass
class Config:
    epochs: int = 25
    lr: float = 2e-4
    batch_size: int = 128
    latent_dim: int = 100
    width: int = 64
    train_size: int | None = None
    num_samples: int = 1000
    confidence: float = 0.9
    classifier_epochs: int = 3
    classifier_train_size: int | None = None


def train_classifier(cfg: Config, ctx: RunContext, model: LeNet5) -> dict[str, Any]:
    """Adam lr 1e-3, batch 100 shuffled, on the first ``classifier_train_size`` images."""
    train = data.load("mnist", "train").subset(slice(0, cfg.classifier_train_size))
    ctx.fit(model, cross_entropy_loss, torch.optim.Adam(model.parameters(), lr=1e-3),
            (train.float01(ctx.device), train.labels.to(ctx.device)),
            epochs=cfg.classifier_epochs, batch_size=100, shuffle=True, desc="LeNet-5")
    return {}


def trained_classifier(cfg: Config, ctx: RunContext) -> tuple[LeNet5, float]:
    """LeNet-5 from the cache, or trained and cached; its MNIST test accuracy."""
    recipe = {"model": "LeNet5-full", "epochs": cfg.classifier_epochs, "lr": 1e-3,
              "batch_size": 100, "train_size": cfg.classifier_train_size, "seed": ctx.seed}
    classifier = cached_model(ctx, "classifier", recipe, partial(LeNet5, "full"),
                              partial(train_classifier, cfg, ctx)).model
    test = data.load("mnist", "test")
    accuracy = evaluate_classifier(classifier, test.float01(ctx.device),
                                   test.labels.to(ctx.device))["accuracy"]
    return classifier, accuracy


@experiment(
    "ch5-gan-mnist",
    title="DCGAN on MNIST: the share of samples a trained LeNet-5 recognises",
    group="Ch5",
    config=Config,
    metrics=("fake_accuracy_by_classifier", "class_coverage", "classifier_test_accuracy",
             "final_d_loss"),
    quick=dict(epochs=1, train_size=2560, width=16, num_samples=200, classifier_epochs=1,
               classifier_train_size=10000),
    quick_note="a narrow DCGAN (width 16) for 1 epoch on 2,560 images; LeNet-5 trained for "
               "1 epoch on 10,000 images",
    laptop=dict(epochs=8, width=32),
    laptop_note="a DCGAN of half the width (32) for 8 epochs instead of 64 for 25",
    claims=(
        # D = 1/2 scores log 4; the best D scores log 4 - 2 JS(p_data, p_G)
        Claim("final_d_loss", "<", math.log(4), "mathematics: D beats D = 1/2 (log 4)",
              profiles=("quick", "laptop", "full")),
        Claim("classifier_test_accuracy", ">=", 0.5, "sanity: the judge is far above chance",
              profiles=("quick", "laptop", "full")),
        # LeNet-5's paper error is 0.95%; 3 epochs of Adam come within a few tenths of it
        Claim("classifier_test_accuracy", ">=", 0.98, "LeCun et al. 1998: 0.95% test error",
              note="quick trains LeNet-5 for 1 epoch on 10,000 images"),
        Claim("fake_accuracy_by_classifier", ">=", 0.5,
              "Radford et al. 2016: DCGAN samples are recognisable digits",
              note="quick trains a width-16 DCGAN for 20 steps: noise (200 steps are too)"),
        Claim("class_coverage", "within", 10, "Radford et al. 2016: every digit is generated",
              tolerance=0, note="quick trains a width-16 DCGAN for 20 steps: no digit yet"),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    classifier, classifier_accuracy = trained_classifier(cfg, ctx)
    train = data.load("mnist", "train").subset(slice(0, cfg.train_size))
    x = train.float01(ctx.device) * 2 - 1  # the generator's tanh range
    gan = GAN(DCGANGenerator(cfg.latent_dim, cfg.width), DCGANDiscriminator(cfg.width),
              cfg.latent_dim).to(ctx.device)
    d_opt = torch.optim.Adam(gan.discriminator.parameters(), cfg.lr, betas=(0.5, 0.999))
    g_opt = torch.optim.Adam(gan.generator.parameters(), cfg.lr, betas=(0.5, 0.999))
    step = AlternatingStep(d_opt, kind="gan", saturating=False)
    result = ctx.fit(gan, step, g_opt, (x,), epochs=cfg.epochs, batch_size=cfg.batch_size,
                     shuffle=True, evaluate=lambda _m, _epoch: {"d_loss": step.pop_d_loss()},
                     desc="DCGAN")

    gan.eval()
    samples = (gan.sample(cfg.num_samples) + 1) / 2
    probs = torch.softmax(predict(classifier, samples), dim=1)
    confidence, label = probs.max(1)
    confident = confidence > cfg.confidence
    counts = torch.bincount(label[confident], minlength=10)
    coverage = int((counts >= 0.01 * cfg.num_samples).sum())
    share = confident.float().mean().item()
    ctx.print(f"{share:.3f} of the samples classified with confidence > {cfg.confidence}; "
              f"{coverage} of 10 digits appear; counts {counts.tolist()}")

    fig, ax = plt.subplots(figsize=(7, 7))
    ax.imshow(image_grid(samples[:100].cpu(), nrow=10), cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"DCGAN samples after {cfg.epochs} epochs")
    ax.axis("off")
    ctx.savefig(fig, "samples")
    return {
        "fake_accuracy_by_classifier": share,
        "class_coverage": coverage,
        "class_counts": counts.tolist(),
        "classifier_test_accuracy": classifier_accuracy,
        "epochs": cfg.epochs,
        "final_d_loss": result.last("d_loss"),
        "final_g_loss": result.last("loss"),
    }
