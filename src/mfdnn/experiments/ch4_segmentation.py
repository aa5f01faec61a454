"""Chapter 4 demo: semantic segmentation by a U-Net vs a plain fully-convolutional network.

Both networks map an image to a class score per pixel and train by the per-pixel
cross-entropy. The U-Net's expanding path (transposed convolutions plus skip connections)
recovers the fine localisation that the FCN, which only bilinearly upsamples its coarsest
scores, loses; the gap shows in the mean IoU.

Data (offline by default): the synthetic digit-segmentation set, MNIST digits placed on a
64 x 64 canvas with 11 classes (background, digits 0..9), training canvases from MNIST's
training digits and test canvases from its test digits. ``--set dataset=voc voc_dir=DIR``
trains on PASCAL VOC 2012 (official release, 21 classes, 255 ignored) as the course did.

Course settings (``full``): the notebook's U-Net widths 24, 64, 128, 256, 512, SGD lr 1e-3,
momentum 0.9, batch 32, 2 epochs, as many training images as SBD's 8,498 (test: 2,857).

metrics.json:
  miou_unet, miou_fcn                       mean IoU over the classes on the test set
  pixel_accuracy_unet, pixel_accuracy_fcn   fraction of test pixels labelled correctly
  background_rate                           fraction of background pixels (the accuracy of
                                            predicting background everywhere)
  iou_per_class_unet, iou_per_class_fcn     IoU of each class (NaN-free: absent classes -1)
  num_params_unet, num_params_fcn, train_seconds_unet, train_seconds_fcn, dataset
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mfdnn import data
from mfdnn.data.synthetic.digit_segmentation import NUM_CLASSES, make_digit_segmentation
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.imaging.segmentation import confusion_matrix, iou_per_class, mean_iou, pixel_accuracy
from mfdnn.models.unet import FCN, UNet
from mfdnn.plotting import plt
from mfdnn.train import predict

VOID = 255


@dataclass
class Config:
    dataset: Literal["digits", "voc"] = "digits"
    voc_dir: str | None = None
    voc_size: int = 256
    canvas: int = 64
    max_digits: int = 3
    train_size: int = 8498
    test_size: int = 2857
    widths: tuple[int, ...] = (24, 64, 128, 256, 512)
    optimizer: Literal["sgd", "adam"] = "sgd"
    lr: float = 1e-3
    momentum: float = 0.9
    batch_size: int = 32
    epochs: int = 2
    flips: bool = False  # random horizontal flips (the course's VOC augmentation)
    channels_last: bool = True


def segmentation_loss(model: nn.Module, x: Tensor, mask: Tensor) -> Tensor:
    """Mean over pixels of -log softmax(f_theta(x))[true class]; VOC's 255 pixels skipped."""
    return F.cross_entropy(model(x), mask, ignore_index=VOID)


class Normalise(nn.Module):
    """uint8 RGB -> float, standardised per channel (ImageNet statistics), inside the model so
    that VOC stays uint8 on the device (8,498 images of 3 x 256 x 256 are 1.7 GB as uint8)."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406])[:, None, None])
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225])[:, None, None])

    def forward(self, x: Tensor) -> Tensor:
        return (x.float() / 255 - self.mean) / self.std


def load_data(cfg: Config, ctx: RunContext) -> tuple[tuple, tuple, int, int]:
    """(train images, masks), (test images, masks), input channels, classes, on the device."""
    if cfg.dataset == "voc":
        from mfdnn.data.voc import VOC_CLASSES, fetch_voc, load_voc_segmentation

        root = cfg.voc_dir or fetch_voc()
        sets = [load_voc_segmentation(root, split, size=cfg.voc_size, limit=limit)
                for split, limit in (("train", cfg.train_size), ("val", cfg.test_size))]
        tensors = [(s.images, s.masks) for s in sets]
        channels, classes = 3, len(VOC_CLASSES)
    else:
        g = torch.Generator().manual_seed(ctx.seed)
        tensors = []
        for split, count in (("train", cfg.train_size), ("test", cfg.test_size)):
            digits = data.load("mnist", split)
            s = make_digit_segmentation(digits.images, digits.labels, count, canvas=cfg.canvas,
                                        max_digits=cfg.max_digits, generator=g)
            tensors.append((s.images, s.masks))
        channels, classes = 1, NUM_CLASSES
    (xtr, ytr), (xte, yte) = [(x.to(ctx.device), y.to(ctx.device)) for x, y in tensors]
    return (xtr, ytr), (xte, yte), channels, classes


def train_segmenter(name: str, model: nn.Module, cfg: Config, ctx: RunContext, train: tuple
                    ) -> tuple[nn.Module, float]:
    memory_format = torch.channels_last if cfg.channels_last else torch.contiguous_format
    model = model.to(ctx.device, memory_format=memory_format)
    if cfg.optimizer == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    x_all, masks = train
    images = x_all.contiguous(memory_format=memory_format)

    def loss_fn(m: nn.Module, x: Tensor, mask: Tensor) -> Tensor:
        if cfg.flips:  # flip image and mask together, each sample with probability 1/2
            flip = torch.rand(len(x), device=x.device) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(-1), x)
            mask = torch.where(flip[:, None, None], mask.flip(-1), mask)
        return segmentation_loss(m, x, mask)

    result = ctx.fit(model, loss_fn, optimizer, (images, masks), epochs=cfg.epochs,
                     batch_size=cfg.batch_size, checkpoint=name, desc=name)
    return model, result.seconds


@experiment(
    "ch4-segmentation",
    title="Semantic segmentation: U-Net vs a plain fully-convolutional network (digit canvases)",
    group="Ch4",
    config=Config,
    metrics=("miou_unet", "miou_fcn", "pixel_accuracy_unet", "background_rate"),
    quick=dict(canvas=32, max_digits=1, train_size=2048, test_size=256, widths=(8, 16),
               epochs=2, optimizer="adam", lr=5e-3, batch_size=32),
    quick_note="128 Adam steps (lr 5e-3) on 2,048 32 x 32 canvases of one digit, widths 8 and "
               "16; 256 test canvases",
    laptop=dict(train_size=6000, test_size=1000, widths=(16, 32, 64), epochs=3,
                optimizer="adam", batch_size=32),
    laptop_note="6,000 training and 1,000 test canvases (not 8,498 and 2,857), 3 epochs (not "
                "2), three levels of widths 16, 32, 64 (not five of 24 ... 512), Adam lr 1e-3 "
                "(not SGD with momentum)",
    references={
        "pixel_accuracy_unet": Reference(0.699, "course notebook, VOC after 2 epochs: about "
                                                "the background rate"),
    },
    claims=(
        Claim("miou_unet", ">", "miou_fcn",
              "SYLLABUS.md Ch4: skip connections recover the FCN's lost localisation",
              profiles=("quick", "laptop", "full")),
        Claim("pixel_accuracy_unet", ">", "background_rate",
              "SYLLABUS.md Ch4 (the notebook's VOC U-Net sits at the background rate)",
              profiles=("quick", "laptop", "full")),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    train, test, channels, classes = load_data(cfg, ctx)
    ctx.info.update(dataset=cfg.dataset, train_images=len(train[0]), test_images=len(test[0]))

    def with_input_layer(model: nn.Module) -> nn.Module:
        return nn.Sequential(Normalise(), model) if cfg.dataset == "voc" else model

    ctx.reseed()
    unet, seconds_unet = train_segmenter(
        "unet", with_input_layer(UNet(channels, classes, cfg.widths)), cfg, ctx, train)
    ctx.reseed(1)
    fcn, seconds_fcn = train_segmenter(
        "fcn", with_input_layer(FCN(channels, classes, cfg.widths)), cfg, ctx, train)

    x_test, y_test = test
    scores = {}
    predictions = {}
    for name, model in (("unet", unet), ("fcn", fcn)):
        pred = predict(model, x_test.contiguous(memory_format=torch.channels_last),
                       batch_size=64).argmax(1)
        predictions[name] = pred
        scores[name] = confusion_matrix(pred, y_test, classes, ignore=VOID)
    plot_masks(ctx, x_test, y_test, predictions, classes)
    valid = y_test[y_test != VOID]
    return {
        "miou_unet": mean_iou(scores["unet"]),
        "miou_fcn": mean_iou(scores["fcn"]),
        "pixel_accuracy_unet": pixel_accuracy(scores["unet"]),
        "pixel_accuracy_fcn": pixel_accuracy(scores["fcn"]),
        "background_rate": float((valid == 0).float().mean()),
        "iou_per_class_unet": iou_per_class(scores["unet"]).nan_to_num(-1.0).tolist(),
        "iou_per_class_fcn": iou_per_class(scores["fcn"]).nan_to_num(-1.0).tolist(),
        "num_params_unet": sum(p.numel() for p in unet.parameters()),
        "num_params_fcn": sum(p.numel() for p in fcn.parameters()),
        "train_seconds_unet": round(seconds_unet, 2),
        "train_seconds_fcn": round(seconds_fcn, 2),
        "dataset": cfg.dataset,
    }


def plot_masks(ctx: RunContext, images: Tensor, masks: Tensor, predictions: dict[str, Tensor],
               classes: int, rows: int = 4) -> None:
    cmap = plt.get_cmap("tab20", max(classes, 2))
    columns = [("input", None), ("true mask", masks), ("U-Net", predictions["unet"]),
               ("FCN", predictions["fcn"])]
    fig, axes = plt.subplots(rows, 4, figsize=(10, 2.6 * rows), squeeze=False)
    for r in range(min(rows, len(images))):
        for c, (title, mask) in enumerate(columns):
            ax = axes[r, c]
            if mask is None:
                img = images[r].float().cpu()
                img = (img - img.min()) / (img.max() - img.min()).clamp_min(1e-8)
                ax.imshow(img.permute(1, 2, 0).squeeze(-1).numpy(), cmap="gray")
            else:
                m = mask[r].cpu().clone()
                m[m == VOID] = 0
                ax.imshow(m.numpy(), cmap=cmap, vmin=-0.5, vmax=cmap.N - 0.5,
                          interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(title)
    fig.suptitle("predicted masks on test canvases (colour = class, dark blue = background)")
    ctx.savefig(fig, "masks")
