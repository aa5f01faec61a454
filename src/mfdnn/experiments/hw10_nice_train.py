"""HW10 (the course's ``nice.pt``): train NICE on MNIST and cache the checkpoint that
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

The checkpoint is cached under ``<cache>/artifacts/nice/``, named by a hash of everything
that determines the model except the number of epochs (architecture, optimiser, batch,
dequantisation, training images, seed), plus the epochs:
``nice-<recipe>-e<epochs>.pt``. ``quick``'s small NICE has its own recipe, so it is never
taken for the course's. ``laptop`` and ``full`` share the course's recipe: a consumer asks
for at least as many epochs as its profile trains, and takes the longest-trained file. The
training state (optimiser included) is kept beside it, so ``--resume`` continues the last
run of the same recipe for more epochs (``--set epochs=N``) or another time budget.

metrics.json:
  test_log_likelihood              nats, mean over the test images, clean pixels in [0, 1]
  test_log_likelihood_dequantized  nats, the paper's convention (one noise draw per image)
  test_bits_per_dim_dequantized    bits/dim of the 8-bit images (the paper's convention)
  epochs                           epochs trained in all (resumed pieces included)
  train_nll_curve                  mean training -log p(y) per epoch (dequantised)
  test_log_likelihood_curve        test log-likelihood (clean) after each epoch
  num_params                       19,158,352 for the course's model
  train_seconds                    training wall time (evaluation excluded)
  checkpoint                       the cached file
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from mfdnn import data
from mfdnn.data.files import atomic_write, file_lock
from mfdnn.errors import ConfigError
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment, get_experiment
from mfdnn.flows.base import bits_per_dim
from mfdnn.flows.nice import NICE
from mfdnn.plotting import plt
from mfdnn.samples import image_grid
from mfdnn.train import fit, predict
from mfdnn.train.checkpoint import load_checkpoint
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


RECIPE_FIELDS = ("batch_size", "lr", "coupling", "mid_dim", "hidden", "dequantize",
                 "train_size")


def recipe_key(cfg: Config, seed: int) -> str:
    """A hash of what determines the trained model, except the epochs."""
    recipe = {k: getattr(cfg, k) for k in RECIPE_FIELDS} | {"seed": seed, "model": "NICE"}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def cache_dir(ctx: RunContext) -> Path:
    return ctx.artifacts / "nice"


def build(cfg: Config) -> NICE:
    return NICE(in_out_dim=D, coupling=cfg.coupling, mid_dim=cfg.mid_dim, hidden=cfg.hidden)


def nll_loss(model: NICE, x: Tensor) -> Tensor:
    """-log p(x) averaged over the batch."""
    return -model.log_prob(x).mean()


def dequantize(x: Tensor) -> Tensor:
    """y = x + u / 256, u ~ U(0, 1)^D: uniform noise of width 1/256."""
    return x + torch.rand_like(x) / 256


@torch.no_grad()
def log_likelihood(model: NICE, x: Tensor, batch_size: int = 1000) -> Tensor:
    """log p(x) per image (eval mode, in chunks)."""
    return predict(_LogProb(model), x, batch_size)


class _LogProb(torch.nn.Module):
    def __init__(self, flow: NICE):
        super().__init__()
        self.flow = flow

    def forward(self, x: Tensor) -> Tensor:
        return self.flow.log_prob(x)


def _budget_stop(minutes: float | None):
    """stop_when for ``fit``: stop when one more epoch, taking as long as the last one did
    (by the wall clock, evaluation included), would overrun ``minutes`` counted from now."""
    start = time.perf_counter()
    marks = [start]  # when fit last asked: the end of the previous epoch of this session

    def stop(history: list[dict[str, Any]]) -> bool:
        now = time.perf_counter()
        last_epoch = now - marks[-1]
        marks.append(now)
        return minutes is not None and (now - start) + last_epoch > 60 * minutes

    return stop


def train(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    """Train NICE with ``cfg`` (reseeding torch first), cache it, return model and numbers.

    The recipe's lock is held throughout, so two processes never train one recipe at once.
    """
    with file_lock(cache_dir(ctx) / f".nice-{recipe_key(cfg, ctx.seed)}.lock"):
        return _train(cfg, ctx)


def _train(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    key = recipe_key(cfg, ctx.seed)
    folder = cache_dir(ctx)
    train_set = data.load("mnist", "train").subset(slice(0, cfg.train_size))
    test_set = data.load("mnist", "test").subset(slice(0, cfg.test_size))
    X = train_set.float01(ctx.device).flatten(1)
    X_test = test_set.float01(ctx.device).flatten(1)
    ctx.reseed()
    model = build(cfg).to(ctx.device)
    optimizer = adam(model.parameters(), ctx.device, lr=cfg.lr)  # fused kernel: same update

    def evaluate(m: NICE) -> dict[str, float]:
        return {"test_log_likelihood": log_likelihood(m, X_test, cfg.eval_batch_size)
                .mean().item()}

    result = fit(model, nll_loss, optimizer, (X,), epochs=cfg.epochs,
                 batch_size=cfg.batch_size, shuffle=True,
                 transform=dequantize if cfg.dequantize else None, evaluate=evaluate,
                 stop_when=_budget_stop(cfg.time_budget_minutes),
                 checkpoint=folder / f"nice-{key}.train.pt", resume=ctx.resume,
                 fingerprint=key, progress=ctx.progress, desc="NICE")
    epochs = len(result.history)
    path = folder / f"nice-{key}-e{epochs}.pt"
    with atomic_write(path) as f:
        torch.save({"state_dict": model.state_dict(), "epochs": epochs, "seed": ctx.seed,
                    "recipe": {k: getattr(cfg, k) for k in RECIPE_FIELDS},
                    "profile": ctx.profile}, f)
    ctx.log(f"NICE after {epochs} epochs cached as {path}")
    return {"model": model, "result": result, "path": path, "X_test": X_test}


def _epochs_of(path: Path) -> int:
    match = re.search(r"-e(\d+)\.pt$", path.name)
    return int(match.group(1)) if match else 0


def pretrained_nice(profile: str, ctx: RunContext, checkpoint: str | None = None
                    ) -> tuple[NICE, str]:
    """The NICE of ``hw10-nice-train``'s ``profile``: "pretrained if present, else train".

    ``checkpoint`` names a state dict of the course's model (e.g. the original
    ``nice.pt``) to load instead. Returns the model (eval mode, frozen) and a description
    for the manifest. Torch's generator is reseeded afterwards either way, so what follows
    does not depend on whether the model had to be trained.
    """
    if checkpoint is not None:
        path = Path(checkpoint).expanduser()
        if not path.exists():
            raise ConfigError(f"nice_checkpoint {path} does not exist")
        state = load_checkpoint(path)
        model = NICE.course()
        model.load_state_dict(state.get("state_dict", state))
        ctx.note(f"NICE loaded from {path}")
        return _frozen(model.to(ctx.device)), str(path)
    cfg = get_experiment("hw10-nice-train").make_config(profile)
    key = recipe_key(cfg, ctx.seed)
    needed = 1 if cfg.time_budget_minutes is not None else cfg.epochs
    with file_lock(cache_dir(ctx) / f".nice-{key}.lock"):  # wait for a training in progress
        found = [p for p in cache_dir(ctx).glob(f"nice-{key}-e*.pt") if _epochs_of(p) >= needed]
        if found:
            path = max(found, key=_epochs_of)
            model = build(cfg)
            model.load_state_dict(load_checkpoint(path)["state_dict"])
            model = model.to(ctx.device)
            ctx.note(f"NICE ({profile} recipe, {_epochs_of(path)} epochs) loaded from {path}")
        else:
            ctx.note(f"no cached NICE for the {profile} recipe: training it (hw10-nice-train "
                     f"--profile {profile})")
            resume, ctx.resume = ctx.resume, False
            try:
                trained = _train(cfg, ctx)
            finally:
                ctx.resume = resume
            model, path = trained["model"], trained["path"]
    ctx.reseed()
    return _frozen(model), str(path)


def _frozen(model: NICE) -> NICE:
    model.eval()
    model.requires_grad_(False)
    return model


@experiment(
    "hw10-nice-train",
    title="NICE on MNIST (the course's 784-1000x5 model): train, evaluate, cache the checkpoint",
    group="HW10",
    config=Config,
    metrics=("test_log_likelihood", "test_bits_per_dim_dequantized", "epochs"),
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
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    trained = train(cfg, ctx)
    model, result, X_test = trained["model"], trained["result"], trained["X_test"]
    model.eval()
    clean = log_likelihood(model, X_test, cfg.eval_batch_size)
    noise = torch.Generator(device=X_test.device).manual_seed(ctx.seed)
    y = X_test + torch.rand(X_test.shape, generator=noise, device=X_test.device) / 256
    noisy = log_likelihood(model, y, cfg.eval_batch_size)
    bpd = bits_per_dim(noisy, D).mean().item()
    epochs = len(result.history)
    print(f"NICE after {epochs} epochs: test log-likelihood {clean.mean():.2f} nats (clean), "
          f"{noisy.mean():.2f} nats dequantised = {bpd:.3f} bits/dim "
          f"(paper: {PAPER_LOG_LIKELIHOOD} nats)")

    with torch.no_grad():
        samples = model.sample(64).clamp(0, 1).reshape(-1, 28, 28).cpu()
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.imshow(image_grid(samples), cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"NICE samples (logistic prior), {epochs} epochs")
    ax.axis("off")
    ctx.savefig(fig, "samples")
    fig, ax = plt.subplots(figsize=(7, 4))
    epochs_axis = range(1, epochs + 1)
    ax.plot(epochs_axis, [-v for v in result.curve("loss")], "o-",
            label="train log p(y), dequantised")
    ax.plot(epochs_axis, result.curve("test_log_likelihood"), "s-",
            label="test log p(x), clean pixels")
    ax.set_xlabel("epoch")
    ax.set_ylabel("nats per image")
    ax.legend()
    ctx.savefig(fig, "log_likelihood")
    ctx.info.update(checkpoint=str(trained["path"]), recipe=recipe_key(cfg, ctx.seed))
    return {
        "test_log_likelihood": clean.mean().item(),
        "test_log_likelihood_dequantized": noisy.mean().item(),
        "test_bits_per_dim_dequantized": bpd,
        "epochs": epochs,
        "train_nll_curve": result.curve("loss"),
        "test_log_likelihood_curve": result.curve("test_log_likelihood"),
        "num_params": sum(p.numel() for p in model.parameters()),
        "train_seconds": round(result.seconds, 2),
        "checkpoint": str(trained["path"]),
    }
