"""Chapter 4 demo: super-resolution x3 by SRCNN (9-5-5) and VDSR (residual) vs bicubic.

The low-resolution image Y is the sharp X downscaled by 3 (bicubic with antialiasing, as in
the SRCNN and VDSR papers; ``--set downsample=avgpool`` uses the course's 3 x 3 average
pooling). Both networks refine Y~ = bicubic upsampling of Y back to X's size and are trained
with the MSE between their output and X on random crops of the training images (fresh
crops, flips and rotations every epoch); both are scored on the held-out test images (the
grey camera, astronaut and coffee of scikit-image, full size) by PSNR against bicubic
interpolation itself, shaving ``scale`` pixels off each border as the papers do.

Course settings (``full``): SRCNN on 33 x 33 crops, Adam lr 1e-4 (1e-5 for the last layer),
400 epochs; VDSR (depth 20, width 64) on 42 x 42 crops (the paper's 41, made divisible
by 3), SGD lr 0.1, momentum 0.9, weight decay 1e-4, lr x0.1 every 20 epochs, gradient norm
clipped at 0.4, 100 epochs. Each epoch has the demo's 8,498 crops, in batches of 64.

metrics.json:
  scale                         the upscaling factor (3)
  psnr_bicubic, psnr_srcnn, psnr_vdsr    mean PSNR (dB) on the test images
  ssim_bicubic, ssim_srcnn, ssim_vdsr    mean SSIM
  psnr_per_image_bicubic, psnr_per_image_srcnn, psnr_per_image_vdsr
  test_images                   names of the held-out images
  num_params_srcnn, num_params_vdsr      57,281 and 664,704 at the course's sizes
  train_seconds_srcnn, train_seconds_vdsr, train_steps_srcnn, train_steps_vdsr
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import torch
from torch import Tensor, nn

from mfdnn.data.natural_images import PatchSampler, load_image_split
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.imaging.degrade import center_crop, crop_to_multiple, degrade_for_sr
from mfdnn.imaging.quality import crop_border, mean_psnr, psnr, ssim
from mfdnn.imaging.restore import restore
from mfdnn.models.superres import SRCNN, VDSR
from mfdnn.plotting import plt
from mfdnn.train import FitResult


@dataclass
class Config:
    scale: int = 3
    downsample: Literal["bicubic", "avgpool"] = "bicubic"
    source: Literal["skimage", "folder", "mnist", "fashion-mnist"] = "skimage"
    image_dir: str | None = None
    test_count: int | None = None
    test_crop: int | None = None  # None: whole test images
    train_count: int | None = None
    patches_per_epoch: int = 8498
    batch_size: int = 64
    # SRCNN
    srcnn_patch_size: int = 33
    srcnn_epochs: int = 400
    srcnn_optimizer: Literal["adam", "sgd"] = "adam"
    srcnn_lr: float = 1e-4
    srcnn_last_lr: float = 1e-5  # the reconstruction layer's rate
    srcnn_schedule: Literal["constant", "cosine"] = "constant"
    # VDSR
    vdsr_depth: int = 20
    vdsr_channels: int = 64
    vdsr_patch_size: int = 42
    vdsr_epochs: int = 100
    vdsr_optimizer: Literal["adam", "sgd"] = "sgd"
    vdsr_lr: float = 0.1
    vdsr_momentum: float = 0.9
    vdsr_weight_decay: float = 1e-4
    vdsr_schedule: Literal["step", "cosine"] = "step"
    vdsr_lr_step_epochs: int = 20
    vdsr_clip: float | None = 0.4  # gradient-norm clipping; None: off
    channels_last: bool = True


def sr_loss(scale: int, method: str):
    """MSE between the network's output on Y~ = up(down(X)) and X; Y~ is made on the fly."""

    def loss_fn(model: nn.Module, x: Tensor) -> Tensor:
        return (model(degrade_for_sr(x, scale, method)) - x).pow(2).mean()

    return loss_fn


def _scheduler(kind: str, optimizer, epochs: int, steps_per_epoch: int, step_epochs: int = 20):
    """Stepped after every optimizer step: ``cosine`` to 0, or ``step`` (x 0.1 every
    ``step_epochs`` epochs)."""
    if kind == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer,
                                                          T_max=epochs * steps_per_epoch)
    if kind == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_epochs * steps_per_epoch, 0.1)
    return None


def train_sr(name: str, model: nn.Module, groups: list[dict], cfg: Config, ctx: RunContext,
             images: list[Tensor], patch_size: int, epochs: int, optimizer_kind: str,
             schedule: str, clip: float | None = None, momentum: float = 0.0,
             weight_decay: float = 0.0, step_epochs: int = 20) -> FitResult:
    memory_format = torch.channels_last if cfg.channels_last else torch.contiguous_format
    model.to(ctx.device, memory_format=memory_format)
    if optimizer_kind == "adam":
        optimizer = torch.optim.Adam(groups, weight_decay=weight_decay)
    else:
        optimizer = torch.optim.SGD(groups, momentum=momentum, weight_decay=weight_decay)
    if clip is not None:  # clip the gradient norm right before every step
        params = [p for g in groups for p in g["params"]]

        def clip_gradients(*_: Any) -> None:
            nn.utils.clip_grad_norm_(params, clip)

        optimizer.register_step_pre_hook(clip_gradients)
    sampler = PatchSampler(images, patch_size, ctx.device)
    data = (sampler.indices(max(1, math.ceil(cfg.patches_per_epoch / len(images)))),)
    steps_per_epoch = math.ceil(len(data[0]) / cfg.batch_size)
    scheduler = _scheduler(schedule, optimizer, epochs, steps_per_epoch, step_epochs)
    return ctx.fit(model, sr_loss(cfg.scale, cfg.downsample), optimizer, data, epochs=epochs,
                   batch_size=cfg.batch_size,
                   transform=lambda idx: sampler(idx).contiguous(memory_format=memory_format),
                   scheduler=scheduler, checkpoint=name, desc=name)


@experiment(
    "ch4-super-resolution",
    title="Super-resolution x3: SRCNN (9-5-5) and VDSR (20 layers, residual) vs bicubic",
    group="Ch4",
    config=Config,
    metrics=("scale", "psnr_bicubic", "psnr_srcnn", "psnr_vdsr"),
    quick=dict(patches_per_epoch=256, batch_size=32, srcnn_epochs=2, srcnn_lr=1e-3,
               srcnn_last_lr=1e-4, vdsr_depth=5, vdsr_channels=16, vdsr_epochs=2,
               vdsr_patch_size=33, vdsr_optimizer="adam", vdsr_lr=1e-3, vdsr_clip=None,
               vdsr_schedule="cosine", test_count=2, test_crop=96),
    quick_note="18 steps each, VDSR of depth 5 and width 16, two 96 x 96 test crops",
    laptop=dict(patches_per_epoch=4096, batch_size=16, srcnn_epochs=6, srcnn_lr=1e-3,
                srcnn_last_lr=1e-4, srcnn_schedule="cosine", vdsr_depth=10,
                vdsr_channels=32, vdsr_patch_size=33, vdsr_epochs=4, vdsr_optimizer="adam",
                vdsr_lr=1e-3, vdsr_weight_decay=0.0, vdsr_clip=None, vdsr_schedule="cosine"),
    laptop_note="SRCNN 6 epochs and VDSR (depth 10, width 32, 33 x 33 crops) 4 epochs of "
                "4,096 crops in batches of 16, both Adam lr 1e-3 with a cosine decay "
                "(not 400 / 100 epochs of 8,498 and the course's optimizers); same test images",
    references={
        "psnr_srcnn": Reference(32.75, "SRCNN, Set5 x3 (Dong et al. 2015, Table 2)"),
        "psnr_bicubic": Reference(30.39, "bicubic, Set5 x3 (Dong et al. 2015, Table 2)"),
        "psnr_vdsr": Reference(33.66, "VDSR, Set5 x3 (Kim et al. 2016, Table 2)"),
    },
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    split = load_image_split(cfg.source, image_dir=cfg.image_dir, test_count=cfg.test_count,
                             train_count=cfg.train_count)
    hr = [crop_to_multiple(center_crop(x, cfg.test_crop), cfg.scale) for x in split.test]
    upsampled = [degrade_for_sr(x[None], cfg.scale, cfg.downsample)[0] for x in hr]
    ctx.info.update(source=split.source, train_images=len(split.train),
                    test_images=split.test_names)

    ctx.reseed()
    srcnn = SRCNN()
    body = list(srcnn.body)
    srcnn_groups = [
        {"params": [p for m in body[:-1] for p in m.parameters()], "lr": cfg.srcnn_lr},
        {"params": list(body[-1].parameters()), "lr": cfg.srcnn_last_lr},
    ]
    res_srcnn = train_sr("srcnn", srcnn, srcnn_groups, cfg, ctx, split.train,
                         cfg.srcnn_patch_size, cfg.srcnn_epochs, cfg.srcnn_optimizer,
                         cfg.srcnn_schedule)

    ctx.reseed(1)
    vdsr = VDSR(cfg.vdsr_depth, cfg.vdsr_channels)
    res_vdsr = train_sr("vdsr", vdsr, [{"params": list(vdsr.parameters()), "lr": cfg.vdsr_lr}],
                        cfg, ctx, split.train, cfg.vdsr_patch_size, cfg.vdsr_epochs,
                        cfg.vdsr_optimizer, cfg.vdsr_schedule, clip=cfg.vdsr_clip,
                        momentum=cfg.vdsr_momentum, weight_decay=cfg.vdsr_weight_decay,
                        step_epochs=cfg.vdsr_lr_step_epochs)

    outputs = {"bicubic": upsampled,
               "srcnn": restore(srcnn, upsampled, ctx.device),
               "vdsr": restore(vdsr, upsampled, ctx.device)}
    shaved_hr = [crop_border(x, cfg.scale) for x in hr]
    metrics: dict[str, Any] = {"scale": cfg.scale}
    shaved = {name: [crop_border(x, cfg.scale) for x in images]
              for name, images in outputs.items()}
    for name, images in shaved.items():
        metrics[f"psnr_{name}"] = mean_psnr(images, shaved_hr)
    for name, images in shaved.items():
        metrics[f"ssim_{name}"] = sum(ssim(e, t).item() for e, t in
                                      zip(images, shaved_hr, strict=True)) / len(hr)
    for name, images in shaved.items():
        metrics[f"psnr_per_image_{name}"] = [
            psnr(e, t).item() for e, t in zip(images, shaved_hr, strict=True)]
    metrics.update(
        test_images=split.test_names,
        num_params_srcnn=sum(p.numel() for p in srcnn.parameters()),
        num_params_vdsr=sum(p.numel() for p in vdsr.parameters()),
        train_seconds_srcnn=round(res_srcnn.seconds, 2),
        train_seconds_vdsr=round(res_vdsr.seconds, 2),
        train_steps_srcnn=res_srcnn.steps,
        train_steps_vdsr=res_vdsr.steps,
    )
    plot_examples(ctx, hr[0], outputs, cfg.scale, split.test_names[0])
    return metrics


LABELS = {"bicubic": "bicubic", "srcnn": "SRCNN", "vdsr": "VDSR"}


def plot_examples(ctx: RunContext, hr: Tensor, outputs: dict[str, list[Tensor]], scale: int,
                  name: str) -> None:
    size = min(192, *hr.shape[-2:])
    size -= size % scale
    panels = [("high resolution", hr)] + [
        (f"{LABELS[key]} {psnr(crop_border(v[0], scale), crop_border(hr, scale)).item():.2f} dB",
         v[0]) for key, v in outputs.items()]
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.4))
    for ax, (title, image) in zip(axes, panels, strict=True):
        ax.imshow(center_crop(image, size)[0].numpy(), cmap="gray", vmin=0, vmax=1,
                  interpolation="nearest")
        ax.set_title(title)
        ax.axis("off")
    fig.suptitle(f"x{scale} super-resolution of {name} (central crop; PSNR on the whole image)")
    ctx.savefig(fig, "super_resolution")
