"""HW5 P4: receptive fields in VGG-16.

y1 is the output of VGG-16's first two 3 x 3 convolutions, y2 the output of pool1 (2 x 2,
stride 2) and y3 the output of pool2. A neuron of each depends on a square of input
pixels, in every colour channel, clipped at the image border. By the recursion
r_l = r_{l-1} + (F_l - 1) j_{l-1}, j_l = j_{l-1} S_l (``mfdnn.analysis.sizes``):

    y1: 1 + 2 + 2 = 5,   y2: 5 + 1 * 1 = 6,   y3: 6 + 2 * 2 + 2 * 2 + 1 * 2 = 16.

The check: the support of the autograd gradient of the neuron with respect to the input
(on a copy of the network with positive weights, and each max-pool replaced by the average
pool of the same window, so that no path is hidden) is exactly the predicted window, for a
neuron in the middle of the image and for the corner neuron (0, 0), whose window is clipped.

metrics.json:
  rf_y1, rf_y2, rf_y3          receptive-field side, in input pixels (5, 6, 16)
  jump_y1, jump_y2, jump_y3    input pixels between neighbouring neurons (1, 2, 4)
  window_<y>_centre, window_<y>_corner   [row_lo, row_hi, col_lo, col_hi] from the formula
  autograd_agrees              every window equals its gradient support
  windows_disagreeing          how many of the 6 windows differ from their gradient support
  all_channels                 every colour channel is in every support
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from mfdnn.analysis import input_support, input_window, receptive_field, support_box
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models.vgg import VGG
from mfdnn.plotting import plt

# how many layers of VGG-16's ``features`` produce y1, y2, y3
CUTS = {"y1": 4, "y2": 5, "y3": 10}
ALL = ("quick", "laptop", "full")
RECURSION = "mathematics: r_l = r_(l-1) + (F_l - 1) j_(l-1), HOMEWORK.md HW5 P4"


@dataclass
class Config:
    image_size: int = 224


@experiment(
    "hw5-receptive-fields",
    title="Receptive fields of VGG-16's first layers, checked by autograd",
    group="HW5",
    config=Config,
    metrics=("rf_y1", "rf_y2", "rf_y3", "jump_y3", "windows_disagreeing"),
    quick=dict(image_size=32),
    quick_note="a 32 x 32 input instead of 224 x 224 (the fields do not depend on it)",
    references={"rf_y1": Reference(5, "hand count"), "rf_y2": Reference(6, "hand count"),
                "rf_y3": Reference(16, "hand count")},
    claims=(
        Claim("rf_y1", "within", 5, RECURSION, ALL, tolerance=0),
        Claim("rf_y2", "within", 6, RECURSION, ALL, tolerance=0),
        Claim("rf_y3", "within", 16, RECURSION, ALL, tolerance=0),
        Claim("jump_y3", "within", 4, "mathematics: j = product of the strides (two 2 x 2 "
              "pools)", ALL, tolerance=0),
        Claim("windows_disagreeing", "within", 0, "HOMEWORK.md HW5 P4: the autograd gradient "
              "support is the window", ALL, tolerance=0),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    features = VGG(16).features
    size = cfg.image_size
    metrics: dict[str, Any] = {}
    all_channels, disagreeing = True, 0
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.6))
    for ax, (name, cut) in zip(axes, CUTS.items(), strict=True):
        head = features[:cut]
        field = receptive_field(head)
        out_side = head(torch.zeros(1, 3, size, size)).shape[-1]
        metrics[f"rf_{name}"] = field.size
        metrics[f"jump_{name}"] = field.jump
        for where, i in (("centre", out_side // 2), ("corner", 0)):
            rows = input_window(head, i, size)
            window = [rows[0], rows[1], rows[0], rows[1]]
            support = input_support(head, (3, size, size), (0, i, i), merge_channels=False)
            same = (list(support_box(support.any(0))) == window
                    and int(support.any(0).sum()) == (rows[1] - rows[0] + 1) ** 2)  # a full square
            disagreeing += not same
            all_channels &= bool((support.any(0) == support.all(0)).all())
            metrics[f"window_{name}_{where}"] = window
            if where == "centre":
                lo, hi = max(0, rows[0] - 4), min(size, rows[1] + 5)
                ax.imshow(support.any(0)[lo:hi, lo:hi].numpy(), cmap="Greys",
                          extent=(lo - 0.5, hi - 0.5, hi - 0.5, lo - 0.5))
                ax.set_title(f"{name}: {field.size} x {field.size} pixels")
        ctx.print(f"{name}: receptive field {field.size} x {field.size}, jump {field.jump}, "
                  f"centre window {metrics[f'window_{name}_centre']}")
    metrics["autograd_agrees"] = disagreeing == 0
    metrics["windows_disagreeing"] = disagreeing
    metrics["all_channels"] = bool(all_channels)
    fig.suptitle("VGG-16: input pixels one neuron depends on (autograd gradient support)")
    ctx.savefig(fig, "receptive_fields")
    return metrics
