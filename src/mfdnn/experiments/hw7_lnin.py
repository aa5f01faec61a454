"""HW7 P5 (``LNiN.py``): fully connected layers as convolutions.

``Net1`` (five convolutions, then three linear layers; 358,824,266 parameters) and ``Net2``
(the same, its linear layers turned into an 18 x 18 convolution and two 1 x 1 ones, weights
copied and reshaped; ``mfdnn.models.lnin``) are compared on

* (a) 10 images of 3 x 32 x 32: mean((Net1(x) - Net2(x).squeeze())^2) is at float round-off;
* (b) the same images resized (bilinearly) to 36 x 38: Net2 outputs 10 x 5 x 7, and at every
  offset (i, j) its output equals Net1 applied to the 32 x 32 crop at (i, j): Net2 is Net1
  slid over all windows.

Data: the course uses 10 CIFAR-10 test images, not available offline; random images in
[0, 1] are the substitute (the identities hold for any input). ``--set data=cifar10`` uses
the real images where they are available. The weights are PyTorch's default initialisation
(the identity does not need trained weights).

metrics.json:
  mse_same_size      part (a), mean squared difference
  mse_sliding        part (b), mean over images, classes and the 5 x 7 offsets
  max_abs_sliding    part (b), largest absolute difference
  relative_mse_same_size, relative_mse_sliding   the same divided by mean(Net1(x)^2) (the
                     outputs of default-initialised networks are small: round-off is relative)
  output_shape       Net2's output on the resized images, [N, 10, 5, 7]
  num_params         parameters of Net1 (358,824,266 at width 1)
  width              channel divisor of the networks (1: the homework's)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import torch

from mfdnn import data
from mfdnn.analysis import count_parameters
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models.lnin import Net1, Net2
from mfdnn.train.augment import resize_bilinear


@dataclass
class Config:
    images: int = 10
    width: int = 1
    resized: tuple[int, ...] = (36, 38)
    data: Literal["random", "cifar10"] = "random"


@experiment(
    "hw7-lnin",
    title="Fully connected layers as convolutions: Net2 is Net1 slid over every window",
    group="HW7",
    config=Config,
    metrics=("mse_same_size", "mse_sliding", "relative_mse_same_size", "relative_mse_sliding",
             "num_params"),
    quick=dict(width=8, images=4),
    quick_note="networks with 1/8 of the channels (same structure) on 4 images",
    references={"num_params": Reference(358_824_266, "HW7 P5, Net1")},
    # float32 sums of up to 82,944 terms: relative error ~1e-5 per output at worst, a squared
    # relative error ~1e-10; a wrongly reshaped weight is O(1) off. Identities of the
    # networks: random images do not void them.
    claims=(
        Claim("relative_mse_same_size", "<=", 1e-8, "HOMEWORK.md HW7 P5 (a): equal to "
              "round-off", ("quick", "laptop", "full")),
        Claim("relative_mse_sliding", "<=", 1e-8, "HOMEWORK.md HW7 P5 (b): Net2 is Net1 slid "
              "over every window, to round-off", ("quick", "laptop", "full")),
        Claim("num_params", "within", 358_824_266, "HOMEWORK.md HW7 P5, Net1",
              tolerance=0, note="quick builds the networks with 1/8 of the channels"),
        # channels 8, 24, 48, 32, 32 and 512 hidden units: 36,456 + 5,308,928 + 262,656 + 5,130
        Claim("num_params", "within", 5_613_170, "mathematics: hand count of Net1 at width 1/8",
              ("quick",), tolerance=0, note="the quick profile's network"),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    if cfg.data == "cifar10":
        x = data.load("cifar10", "test").subset(slice(0, cfg.images)).float01(ctx.device)
    else:
        ctx.substitute("cifar10", "random images in [0, 1]",
                       "CIFAR-10 is not available offline: random images in [0, 1] stand in "
                       "for the 10 test images (the identities hold for any input)")
        generator = torch.Generator().manual_seed(ctx.seed)
        x = torch.rand(cfg.images, 3, 32, 32, generator=generator).to(ctx.device)
    net1 = Net1(cfg.width).to(ctx.device).eval()
    with torch.device("meta"):
        net2 = Net2(cfg.width)  # no memory, no random init: every weight is copied next
    net2 = net2.to_empty(device=ctx.device).copy_weights_from(net1).eval()

    with torch.no_grad():
        y1 = net1(x)
        scale = y1.pow(2).mean().item()
        mse_same = (y1 - net2(x).squeeze((2, 3))).pow(2).mean().item()
        big = resize_bilinear(x, tuple(cfg.resized))
        slid = net2(big)  # N x 10 x H' x W'
        rows, cols = slid.shape[2], slid.shape[3]
        crops = torch.stack([big[:, :, i:i + 32, j:j + 32]
                             for i in range(rows) for j in range(cols)], dim=1)  # N x RC x 3x32x32
        direct = net1(crops.flatten(0, 1)).reshape(len(x), rows, cols, -1).permute(0, 3, 1, 2)
        diff = direct - slid
    mse_sliding, max_abs = diff.pow(2).mean().item(), diff.abs().max().item()
    ctx.print(f"(a) 32 x 32: mean squared difference {mse_same:.3e}; (b) {tuple(cfg.resized)}: "
              f"Net2 gives {list(slid.shape)}, mean squared difference to Net1 on every crop "
              f"{mse_sliding:.3e} (max abs {max_abs:.2e})")
    return {
        "mse_same_size": mse_same,
        "mse_sliding": mse_sliding,
        "max_abs_sliding": max_abs,
        "relative_mse_same_size": mse_same / scale,
        "relative_mse_sliding": mse_sliding / direct.pow(2).mean().item(),
        "output_shape": list(slid.shape),
        "num_params": count_parameters(net1),
        "width": cfg.width,
    }
