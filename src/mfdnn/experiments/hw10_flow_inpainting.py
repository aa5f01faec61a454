"""HW10 P3 (``flow_inpainting.py``): inpainting an MNIST digit with NICE.

The image is the 7th MNIST test image (index 6, a "4"); rows 5-11 and columns 5-19
(``[5:12, 5:20]``, 105 pixels) are unknown and set to 1 (white) in the corrupted image.
Projected SGD on the image (lr 1e-3, 300 iterations, loss -log p(X) of the flattened
784-vector; after every step the known pixels are reset and the unknown ones clamped to
[0, 1]; :func:`mfdnn.flows.inpainting.inpaint`) with the model frozen.

The model is the NICE of ``hw10-nice-train`` for the same profile, from the shared cache
("pretrained if present, else train"); ``--set nice_checkpoint=PATH`` loads a state dict of
the course's model instead (the original ``nice.pt``, if you have it). The same procedure
then runs on the first 100 test images at once.

metrics.json:
  masked_mse_corrupted, masked_mse_inpainted   MSE over the 105 unknown pixels, homework image
  log_likelihood_corrupted, log_likelihood_inpainted   log p (nats) of the two images
  known_pixels_unchanged                       the known pixels are bit-identical (a check)
  known_pixels_changed, pixels_outside_unit    counts of known pixels that moved and of
                                               pixels outside [0, 1] (both 0)
  mean_masked_mse_corrupted_100, mean_masked_mse_inpainted_100   over 100 test images
  mean_log_likelihood_corrupted_100, mean_log_likelihood_inpainted_100
  nll_curve                                    -log p of the homework image per iteration
  nice_checkpoint                              the model file used
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import torch

from mfdnn import data
from mfdnn.experiments.core.artifacts import pretrained
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.flows.inpainting import inpaint
from mfdnn.plotting import plt
from mfdnn.samples import image_grid


@dataclass
class Config:
    image_index: int = 6
    rows: tuple[int, ...] = (5, 12)  # the unknown block [5:12, 5:20]
    cols: tuple[int, ...] = (5, 20)
    fill: float = 1.0
    lr: float = 1e-3
    iterations: int = 300
    batch_images: int = 100
    nice_profile: Literal["quick", "laptop", "full"] = "full"
    nice_checkpoint: str | None = None


def unknown_mask(cfg: Config, shape: tuple[int, ...]) -> torch.Tensor:
    mask = torch.zeros(shape, dtype=torch.bool)
    mask[..., cfg.rows[0]:cfg.rows[1], cfg.cols[0]:cfg.cols[1]] = True
    return mask


def masked_mse(x: torch.Tensor, x_true: torch.Tensor, unknown: torch.Tensor) -> torch.Tensor:
    """Mean squared error over the unknown pixels, per image."""
    sq = ((x - x_true) ** 2 * unknown).flatten(1).sum(1)
    return sq / unknown.flatten(1).sum(1)


@experiment(
    "hw10-flow-inpainting",
    title="Inpainting an MNIST digit by projected gradient ascent on NICE's log-likelihood",
    group="HW10",
    config=Config,
    metrics=("masked_mse_corrupted", "masked_mse_inpainted", "log_likelihood_corrupted",
             "log_likelihood_inpainted", "mean_masked_mse_inpainted_100",
             "mean_masked_mse_corrupted_100", "known_pixels_changed", "pixels_outside_unit"),
    quick=dict(nice_profile="quick", batch_images=10, iterations=100),
    quick_note="the quick profile's small NICE; 100 iterations; 10 images for the average",
    laptop=dict(nice_profile="laptop"),
    laptop_note="the course's procedure with the laptop profile's NICE (shorter training)",
    claims=(
        Claim("known_pixels_changed", "within", 0, "HOMEWORK.md HW10 P3: known pixels kept",
              profiles=("quick", "laptop", "full"), tolerance=0),
        Claim("pixels_outside_unit", "within", 0, "HOMEWORK.md HW10 P3: pixels in [0, 1]",
              profiles=("quick", "laptop", "full"), tolerance=0),
        Claim("log_likelihood_inpainted", ">", "log_likelihood_corrupted",
              "HOMEWORK.md HW10 P3: -log p decreases", profiles=("quick", "laptop", "full")),
        Claim("mean_masked_mse_inpainted_100", "<", "mean_masked_mse_corrupted_100",
              "HOMEWORK.md HW10 P3: a plausible fill", profiles=("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    nice = pretrained(ctx, "hw10-nice-train", cfg.nice_profile, cfg.nice_checkpoint)
    log_prob = nice.model.log_prob  # log p(X) of flattened 784-vectors, the model frozen
    test = data.load("mnist", "test")
    images = test.subset(slice(0, max(cfg.batch_images, cfg.image_index + 1)))
    x_all = images.float01(ctx.device).flatten(1)
    unknown = unknown_mask(cfg, (1, 28, 28)).flatten().to(ctx.device)
    unknown_pixels = int(unknown.sum())

    x_true = x_all[cfg.image_index:cfg.image_index + 1]
    known = ~unknown.expand_as(x_true)
    corrupted = torch.where(known, x_true, torch.full_like(x_true, cfg.fill))
    inpainted, curve = inpaint(log_prob, x_true, known, cfg.fill, cfg.lr, cfg.iterations)
    with torch.no_grad():
        ll_corrupted, ll_inpainted = log_prob(corrupted).item(), log_prob(inpainted).item()
    unchanged = bool(torch.equal(inpainted[known], x_true[known]))
    changed = int((inpainted[known] != x_true[known]).sum())
    outside = int(((inpainted < 0) | (inpainted > 1)).sum())
    mask_b = unknown.expand_as(x_true)
    mse_c = masked_mse(corrupted, x_true, mask_b).item()
    mse_i = masked_mse(inpainted, x_true, mask_b).item()
    ctx.print(f"image {cfg.image_index} ({unknown_pixels} unknown pixels): masked MSE "
              f"{mse_c:.4f} -> {mse_i:.4f}; log p {ll_corrupted:.1f} -> {ll_inpainted:.1f}")

    batch_true = x_all[:cfg.batch_images]
    batch_known = ~unknown.expand_as(batch_true)
    batch_corrupted = torch.where(batch_known, batch_true, torch.full_like(batch_true, cfg.fill))
    batch_inpainted, _ = inpaint(log_prob, batch_true, batch_known, cfg.fill, cfg.lr,
                                 cfg.iterations)
    batch_mask = unknown.expand_as(batch_true)
    with torch.no_grad():
        batch_ll_c = log_prob(batch_corrupted).mean().item()
        batch_ll_i = log_prob(batch_inpainted).mean().item()

    fig, axes = plt.subplots(1, 3, figsize=(9, 3.4))
    for ax, img, title in zip(axes, (x_true, corrupted, inpainted),
                              ("original", "corrupted", "inpainted"), strict=True):
        ax.imshow(img.reshape(28, 28).cpu(), cmap="gray", vmin=0, vmax=1)
        ax.set_title(title)
        ax.axis("off")
    ctx.savefig(fig, "inpainting")
    shown = torch.cat([batch_true[:10], batch_corrupted[:10], batch_inpainted[:10]])
    fig, ax = plt.subplots(figsize=(10, 3.3))
    ax.imshow(image_grid(shown.reshape(-1, 28, 28).cpu(), nrow=10), cmap="gray", vmin=0,
              vmax=1)
    ax.set_title("rows: original, corrupted, inpainted")
    ax.axis("off")
    ctx.savefig(fig, "inpainting_batch")
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(curve)
    ax.set_xlabel("iteration")
    ax.set_ylabel("-log p(X)")
    ax.set_title("projected gradient descent")
    ctx.savefig(fig, "nll")
    return {
        "masked_mse_corrupted": mse_c,
        "masked_mse_inpainted": mse_i,
        "log_likelihood_corrupted": ll_corrupted,
        "log_likelihood_inpainted": ll_inpainted,
        "known_pixels_unchanged": unchanged,
        "known_pixels_changed": changed,
        "pixels_outside_unit": outside,
        "mean_masked_mse_corrupted_100": masked_mse(batch_corrupted, batch_true, batch_mask)
        .mean().item(),
        "mean_masked_mse_inpainted_100": masked_mse(batch_inpainted, batch_true, batch_mask)
        .mean().item(),
        "mean_log_likelihood_corrupted_100": batch_ll_c,
        "mean_log_likelihood_inpainted_100": batch_ll_i,
        "nll_curve": curve,
        "nice_checkpoint": nice.source,
    }
