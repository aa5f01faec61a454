"""HW12 P4 (Spring 2024 specification): a GAN with a 1-D latent on the swiss roll.

Discriminator 2 -> 128 -> 128 -> 1 with tanh hidden layers and a sigmoid output (here the
sigmoid lives in the loss, :mod:`mfdnn.gan.losses`); generator 1 -> 32 -> 2 with a tanh
hidden layer and a linear output; z ~ N(0, 1). Per batch, one discriminator step on
mean(-log D(x) - log(1 - D(G(z)))), then one generator step on the saturating (minimax)
loss mean(log(1 - D(G(z')))) with a fresh z' (``generator_loss=non_saturating`` for
-mean log D(G(z'))). Adam lr 5e-4 for both, batch 64 shuffled (32 batches per epoch, the
last of 16), 2000 epochs; 3000 samples shown every 400 epochs as a KDE.

metrics.json:
  mmd               kernel MMD^2 between 3,000 samples and 3,000 held-out swiss-roll points
  mmd_gaussian_fit  the same for 3,000 draws of a Gaussian fitted to the data (the baseline)
  mmd_train_data    the same for the training data itself (what a perfect model reaches)
  mmd_initial       the same for the untrained model's samples
  final_d_loss, final_g_loss   the last epoch's mean discriminator and generator losses
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import torch
from torch import nn

from mfdnn.experiments._swiss_roll import (
    density_figure,
    initial_mmd,
    mmd_metrics,
    snapshot_hook,
    swiss_roll_data,
    to_tensor,
)
from mfdnn.experiments._threads import single_thread
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.gan import GAN, AlternatingStep


@dataclass
class Config:
    n: int = 2000
    held_out: int = 3000
    epochs: int = 2000
    lr: float = 5e-4
    batch_size: int = 64
    num_samples: int = 3000
    snapshot_every: int = 400
    generator_loss: Literal["saturating", "non_saturating"] = "saturating"


def build() -> GAN:
    discriminator = nn.Sequential(nn.Linear(2, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(),
                                  nn.Linear(128, 1), nn.Flatten(0))
    generator = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 2))
    return GAN(generator, discriminator, latent_dim=1)


@experiment(
    "hw12-swiss-roll-gan",
    title="A GAN with a 1-D latent learns the swiss roll",
    group="HW12",
    config=Config,
    metrics=("mmd", "mmd_gaussian_fit", "mmd_initial"),
    quick=dict(epochs=40, snapshot_every=20),
    quick_note="40 epochs instead of 2,000 (snapshots every 20)",
    claims=(
        Claim("mmd", "<", "mmd_initial", "sanity: training moves the samples to the data",
              profiles=("quick", "laptop", "full")),
        Claim("mmd", "<", "mmd_gaussian_fit",
              "HOMEWORK.md HW12 P4: the samples recover the spiral",
              note="quick trains 40 of 2,000 epochs: too short for the generator to bend its "
                   "line into the spiral"),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    with single_thread(ctx.device.type == "cpu"):
        return _run(cfg, ctx)


def _run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    data = swiss_roll_data(cfg.n, cfg.held_out, ctx)
    x = to_tensor(data["train"], ctx)
    ctx.reseed()
    gan = build().to(ctx.device)
    d_optimizer = torch.optim.Adam(gan.discriminator.parameters(), lr=cfg.lr)
    g_optimizer = torch.optim.Adam(gan.generator.parameters(), lr=cfg.lr)
    step = AlternatingStep(d_optimizer, kind="gan",
                           saturating=cfg.generator_loss == "saturating")
    hook, snapshots = snapshot_hook(lambda: gan.sample(cfg.num_samples).cpu().numpy(),
                                    cfg.snapshot_every)
    mmd_initial = initial_mmd(lambda: gan.sample(cfg.num_samples).cpu().numpy(), data, ctx)

    def evaluate(model: GAN, epoch: float) -> dict[str, float]:
        return hook(model, epoch) | {"d_loss": step.pop_d_loss()}

    result = ctx.fit(gan, step, g_optimizer, (x,), epochs=cfg.epochs,
                     batch_size=cfg.batch_size, shuffle=True, evaluate=evaluate, desc="GAN")
    samples = gan.sample(cfg.num_samples).cpu().numpy()
    snapshots.setdefault(cfg.epochs, samples)
    density_figure(ctx, data["train"], snapshots, "GAN samples (KDE of 3000 G(z), z ~ N(0,1))")
    metrics = mmd_metrics(samples, data)
    ctx.print(f"MMD^2 to held-out data: GAN {metrics['mmd']:.4f}, fitted Gaussian "
              f"{metrics['mmd_gaussian_fit']:.4f}, training data {metrics['mmd_train_data']:.4f}")
    return metrics | {"mmd_initial": mmd_initial, "final_d_loss": result.last("d_loss"),
                      "final_g_loss": result.last("loss")}
