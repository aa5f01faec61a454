"""Chapter 5.2 demo (optional in the course): a multiscale Real NVP on MNIST.

:class:`mfdnn.flows.RealNVP` on 1 x 28 x 28: two levels of [3 checkerboard affine couplings,
squeeze, 3 channel couplings] with the first level's half factored out (Z_1: 2 x 14 x 14,
Z_2: 8 x 7 x 7), flow BatchNorm after every coupling, residual-CNN s and t, and the logit
transform in front. Pixels are dequantised, y = (k + u) / 256 with u ~ U(0, 1) drawn afresh
for every batch; the test set is dequantised once with a fixed seed. Adam, batch 64.

There is no course setting for this demo; ``full`` is a paper-like small model
(64 features, 4 residual blocks, 30 epochs), for a GPU.

metrics.json:
  test_bits_per_dim     (D log 256 - log p(y)) / (D log 2) on the test set
  train_loss_curve      mean training -log p(y) per epoch (nats)
  num_params, epochs
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from mfdnn import data
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.flows import RealNVP, bits_per_dim
from mfdnn.plotting import plt
from mfdnn.samples import image_grid

D = 784


@dataclass
class Config:
    epochs: int = 30
    lr: float = 1e-3
    batch_size: int = 64
    levels: int = 2
    features: int = 64
    n_blocks: int = 4
    batch_norm: bool = True
    logit_alpha: float = 0.05
    train_size: int | None = None
    test_size: int | None = None
    eval_batch_size: int = 500


def dequantize(x: torch.Tensor) -> torch.Tensor:
    """Pixels k / 255 -> y = (k + u) / 256, u ~ U(0, 1)."""
    return (x * 255 + torch.rand_like(x)) / 256


def nll_loss(flow: RealNVP, y: torch.Tensor) -> torch.Tensor:
    return -flow.log_prob(y).mean()


@torch.no_grad()
def test_log_prob(flow: RealNVP, y: torch.Tensor, batch_size: int) -> torch.Tensor:
    flow.eval()
    return torch.cat([flow.log_prob(yb) for yb in y.split(batch_size)])


@experiment(
    "ch5-realnvp",
    title="A multiscale Real NVP on MNIST: bits per dimension and samples",
    group="Ch5",
    config=Config,
    metrics=("test_bits_per_dim",),
    quick=dict(epochs=1, features=8, n_blocks=1, train_size=3840, test_size=500),
    quick_note="8 features, 1 residual block, 1 epoch on 3,840 images, 500 test images",
    laptop=dict(epochs=2, features=16, n_blocks=1, train_size=20000, test_size=2000),
    laptop_note="16 features and 1 residual block, 2 epochs on 20,000 images, 2,000 test "
                "images (the full model needs a GPU)",
    references={"test_bits_per_dim": Reference(
        1.06, "Real NVP on MNIST as reported by Grathwohl et al. 2019 (FFJORD), Table 2")},
    claims=(
        # log p(y) = 0 (uniform on [0, 1]^D) is 8 bits/dim
        Claim("test_bits_per_dim", "<", 8, "mathematics: beats the uniform density",
              profiles=("quick", "laptop", "full")),
        # 8 - 1980.50 / (784 log 2) = 4.36 bits/dim
        Claim("test_bits_per_dim", "<", 4.36, "Dinh et al. 2014: NICE's 1980.50 nats",
              profiles=("quick", "laptop", "full")),
        Claim("test_bits_per_dim", "<=", 1.3, "Grathwohl et al. 2019, Table 2: Real NVP 1.06",
              profiles=("full",), note="laptop trains a 16-feature, 1-block model for 2 "
                                       "epochs: not near the paper's figure"),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    train_x = data.load("mnist", "train").subset(slice(0, cfg.train_size)).float01(ctx.device)
    test_x = data.load("mnist", "test").subset(slice(0, cfg.test_size)).float01(ctx.device)
    noise = torch.Generator(device=ctx.device).manual_seed(ctx.seed)
    test_y = (test_x * 255 + torch.rand(test_x.shape, generator=noise, device=ctx.device)) / 256
    ctx.reseed()
    flow = RealNVP((1, 28, 28), levels=cfg.levels, features=cfg.features,
                   n_blocks=cfg.n_blocks, batch_norm=cfg.batch_norm,
                   logit_alpha=cfg.logit_alpha).to(ctx.device)
    optimizer = torch.optim.Adam(flow.parameters(), lr=cfg.lr)
    result = ctx.fit(flow, nll_loss, optimizer, (train_x,), epochs=cfg.epochs,
                     batch_size=cfg.batch_size, shuffle=True, transform=dequantize,
                     checkpoint="realnvp", desc="Real NVP")
    log_p = test_log_prob(flow, test_y, cfg.eval_batch_size)
    bpd = bits_per_dim(log_p, D).mean().item()
    ctx.print(f"Real NVP after {cfg.epochs} epochs: {bpd:.3f} bits/dim on {len(test_y)} test "
              "images")

    with torch.no_grad():
        samples = flow.sample(64).clamp(0, 1).cpu()
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.imshow(image_grid(samples), cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"Real NVP samples, {bpd:.2f} bits/dim")
    ax.axis("off")
    ctx.savefig(fig, "samples")
    return {
        "test_bits_per_dim": bpd,
        "train_loss_curve": result.curve("loss"),
        "num_params": sum(p.numel() for p in flow.parameters()),
        "epochs": len(result.history),
    }
