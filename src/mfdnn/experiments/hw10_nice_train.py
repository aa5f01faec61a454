"""HW10 (the course's ``nice.pt``): train NICE on MNIST and cache the model that
``hw10-flow-inpainting`` and ``hw11-flow-anomaly`` use.

The model is the course's (:class:`mfdnn.flows.NICE`: four additive couplings with
784-1000x5 MLPs, diagonal scaling, logistic prior, 19,158,352 parameters). The recipe is the
starter's header: Adam lr 1e-3, batch 128 shuffled, 100 epochs on the 60,000 training
images, pixels in [0, 1], with uniform dequantisation noise of width 1/256 added to every
training batch (the course's file documents no more than that).

Two conventions for the test log-likelihood:

* the course's (``test_log_likelihood``): log p(x) in nats of the clean pixels x = k/255,
  no noise, as the HW10/HW11 starters evaluate the model;
* the paper's (Dinh et al. 2014 report 1980.50 nats): the density of *dequantised* pixels
  y = k/255 + u/256, u ~ U(0, 1)^D, ``test_log_likelihood_dequantized``; as bits per
  dimension of the discrete 8-bit image this is
  ``(D log 256 - log p(y)) / (D log 2)`` (``test_bits_per_dim_dequantized``; 1980.50 nats
  are 4.36 bits/dim). Clean pixels sit on the 0/1 edges where the fitted density is very
  peaked, so the course's number is far larger than the paper's.

Every run trains and caches the model (``core/artifacts.py``) under a hash of its
:func:`recipe`; the consumers load the model of their ``nice_profile`` and train it first
if it is not cached. ``--resume`` continues the training in ``<out>/checkpoints/nice.pt``,
also for more epochs (``--set epochs=N``) or another time budget: a checkpoint must match
only what determines the model apart from the length of training (:func:`training_recipe`).

metrics.json:
  test_log_likelihood              nats, mean over the test images, clean pixels in [0, 1]
  test_log_likelihood_dequantized  nats, the paper's convention (one noise draw per image)
  test_bits_per_dim_dequantized    bits/dim of the 8-bit images (the paper's convention)
  epochs                           epochs trained in all (resumed pieces included)
  train_nll_curve                  mean training -log p(y) per epoch (dequantised)
  test_log_likelihood_curve        test log-likelihood (clean) after each epoch
  test_log_likelihood_first        the same after the first epoch
  num_params                       19,158,352 for the course's model
  train_seconds                    training wall time (evaluation excluded)
  checkpoint                       the cached file
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from mfdnn import data
from mfdnn.experiments.core.artifacts import CachedModel, cached_model, recipe_key
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.flows.base import bits_per_dim
from mfdnn.flows.nice import NICE
from mfdnn.plotting import plt
from mfdnn.samples import image_grid
from mfdnn.train import TimeBudget, predict
from mfdnn.train.optimizers import adam

D = 784
PAPER_LOG_LIKELIHOOD = 1980.50


@dataclass
class Config:
    epochs: int = 100
    batch_size: int = 128
    lr: float = 1e-3
    coupling: int = 4
    mid_dim: int = 1000
    hidden: int = 5
    dequantize: bool = True
    train_size: int | None = None  # None: all 60,000 training images
    test_size: int | None = None
    time_budget_minutes: float | None = None  # stop before an epoch would overrun it
    eval_batch_size: int = 1000


def nll_loss(model: NICE, x: Tensor) -> Tensor:
    """-log p(x) averaged over the batch."""
    return -model.log_prob(x).mean()


def dequantize(x: Tensor) -> Tensor:
    """y = x + u / 256, u ~ U(0, 1)^D: uniform noise of width 1/256."""
    return x + torch.rand_like(x) / 256


def build(cfg: Config) -> NICE:
    return NICE(in_out_dim=D, coupling=cfg.coupling, mid_dim=cfg.mid_dim, hidden=cfg.hidden)


def training_recipe(cfg: Config, seed: int) -> dict[str, Any]:
    """What determines the trained model apart from how long it trains."""
    return {"model": "NICE", "batch_size": cfg.batch_size, "lr": cfg.lr,
            "coupling": cfg.coupling, "mid_dim": cfg.mid_dim, "hidden": cfg.hidden,
            "dequantize": cfg.dequantize, "train_size": cfg.train_size, "seed": seed}


def recipe(cfg: Config, seed: int) -> dict[str, Any]:
    """What names the cached model: the training recipe and its length."""
    return training_recipe(cfg, seed) | {"epochs": cfg.epochs,
                                         "time_budget_minutes": cfg.time_budget_minutes}


def mnist(split: str, size: int | None, ctx: RunContext) -> Tensor:
    """The first ``size`` images of MNIST ``split`` as 784-vectors in [0, 1]."""
    return data.load("mnist", split).subset(slice(0, size)).float01(ctx.device).flatten(1)


def train(cfg: Config, ctx: RunContext, model: NICE) -> dict[str, Any]:
    """Train ``model`` by the recipe of ``cfg``; the test log-likelihood after every epoch."""
    X, X_test = mnist("train", cfg.train_size, ctx), mnist("test", cfg.test_size, ctx)
    optimizer = adam(model.parameters(), ctx.device, lr=cfg.lr)  # fused kernel: same update

    def evaluate(m: NICE, _epoch: float) -> dict[str, float]:
        return {"test_log_likelihood":
                predict(m.log_prob, X_test, cfg.eval_batch_size).mean().item()}

    budget = cfg.time_budget_minutes
    result = ctx.fit(model, nll_loss, optimizer, (X,), epochs=cfg.epochs,
                     batch_size=cfg.batch_size, transform=dequantize if cfg.dequantize else None,
                     evaluate=evaluate, stop_when=TimeBudget(budget) if budget else None,
                     checkpoint="nice", desc="NICE",
                     fingerprint=json.dumps(training_recipe(cfg, ctx.seed), sort_keys=True))
    return {"history": result.history, "seconds": result.seconds}


def pretrained(cfg: Config, ctx: RunContext, override_path: str | Path | None = None
               ) -> CachedModel:
    """The NICE of ``cfg`` ("pretrained if present, else train"), frozen; ``override_path``:
    a state dict of the course's model instead (the original ``nice.pt``)."""
    build_model = NICE.course if override_path is not None else partial(build, cfg)
    nice = cached_model(ctx, "nice", recipe(cfg, ctx.seed), build_model,
                        partial(train, cfg, ctx), override_path)
    nice.model.requires_grad_(False)
    return nice


@experiment(
    "hw10-nice-train",
    title="NICE on MNIST (the course's 784-1000x5 model): train, evaluate, cache the checkpoint",
    group="HW10",
    config=Config,
    metrics=("test_log_likelihood", "test_bits_per_dim_dequantized", "epochs",
             "test_log_likelihood_dequantized", "test_log_likelihood_first", "num_params"),
    quick=dict(epochs=2, mid_dim=100, hidden=2, train_size=5000, test_size=1000),
    quick_note="a small NICE (coupling MLPs 392-100x2) for 2 epochs on 5,000 training and "
               "1,000 test images",
    laptop=dict(time_budget_minutes=13.0),
    laptop_note="the course's model and optimiser, trained for as many epochs as fit in "
                "about 13 minutes (continue with --resume)",
    references={
        "test_log_likelihood_dequantized": Reference(
            PAPER_LOG_LIKELIHOOD, "Dinh et al. 2014, Table 2 (dequantised, much longer training)"),
        "test_bits_per_dim_dequantized": Reference(
            round(float(bits_per_dim(torch.tensor(PAPER_LOG_LIKELIHOOD), D)), 3),
            "1980.50 nats of Dinh et al. 2014 in bits/dim"),
        "num_params": Reference(19_158_352, "HOMEWORK.md HW10 (the size of nice.pt)"),
    },
    pretrained=pretrained,
    claims=(
        Claim("num_params", "within", 19_158_352, "HOMEWORK.md HW10: the size of nice.pt",
              tolerance=0, note="quick trains a small NICE (coupling MLPs 392-100x2)"),
        # 4 couplings of 392-100-100-392 MLPs: 4 (393 100 + 101 100 + 101 392) + 784 scales
        Claim("num_params", "within", 356_752, "mathematics: the small NICE's parameters",
              profiles=("quick",), tolerance=0, note="laptop and full train the course's model"),
        Claim("test_log_likelihood", ">", "test_log_likelihood_first",
              "sanity: the test likelihood improves", profiles=("quick", "laptop", "full")),
        # log p(y) = 0, the uniform density on [0, 1]^D, is 8 bits/dim
        Claim("test_bits_per_dim_dequantized", "<", 8, "mathematics: beats the uniform density",
              note="quick trains a small NICE for 80 steps: the logistic prior's scale is still "
                   "far off (about 9.9 bits/dim)"),
        # the paper trains much longer than the course's 100 epochs
        Claim("test_log_likelihood_dequantized", ">=", PAPER_LOG_LIKELIHOOD - 300,
              "Dinh et al. 2014, Table 2: 1980.50 nats", profiles=("full",),
              note="laptop trains the course's model for 13 minutes on a CPU"),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    trained = cached_model(ctx, "nice", recipe(cfg, ctx.seed), partial(build, cfg),
                           partial(train, cfg, ctx), retrain=True)
    model, history = trained.model, trained.info["history"]
    X_test = mnist("test", cfg.test_size, ctx)
    clean = predict(model.log_prob, X_test, cfg.eval_batch_size)
    noise = torch.Generator(device=X_test.device).manual_seed(ctx.seed)  # one draw per image
    y = X_test + torch.rand(X_test.shape, generator=noise, device=X_test.device) / 256
    noisy = predict(model.log_prob, y, cfg.eval_batch_size)
    bpd = bits_per_dim(noisy, D).mean().item()
    epochs = len(history)
    ctx.print(f"NICE after {epochs} epochs: test log-likelihood {clean.mean():.2f} nats (clean), "
              f"{noisy.mean():.2f} nats dequantised = {bpd:.3f} bits/dim "
              f"(paper: {PAPER_LOG_LIKELIHOOD} nats)")
    plot_samples(ctx, model, epochs)
    plot_curves(ctx, history)
    ctx.info.update(checkpoint=trained.source, recipe=recipe_key(recipe(cfg, ctx.seed)))
    return {
        "test_log_likelihood": clean.mean().item(),
        "test_log_likelihood_dequantized": noisy.mean().item(),
        "test_bits_per_dim_dequantized": bpd,
        "epochs": epochs,
        "train_nll_curve": [h["loss"] for h in history],
        "test_log_likelihood_curve": [h["test_log_likelihood"] for h in history],
        "test_log_likelihood_first": history[0]["test_log_likelihood"],
        "num_params": sum(p.numel() for p in model.parameters()),
        "train_seconds": round(trained.info["seconds"], 2),
        "checkpoint": trained.source,
    }


def plot_samples(ctx: RunContext, model: NICE, epochs: int) -> None:
    with torch.no_grad():
        samples = model.sample(64).clamp(0, 1).reshape(-1, 28, 28).cpu()
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.imshow(image_grid(samples), cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"NICE samples (logistic prior), {epochs} epochs")
    ax.axis("off")
    ctx.savefig(fig, "samples")


def plot_curves(ctx: RunContext, history: list[dict[str, Any]]) -> None:
    fig, ax = plt.subplots(figsize=(7, 4))
    epochs = range(1, len(history) + 1)
    ax.plot(epochs, [-h["loss"] for h in history], "o-", label="train log p(y), dequantised")
    ax.plot(epochs, [h["test_log_likelihood"] for h in history], "s-",
            label="test log p(x), clean pixels")
    ax.set_xlabel("epoch")
    ax.set_ylabel("nats per image")
    ax.legend()
    ctx.savefig(fig, "log_likelihood")
