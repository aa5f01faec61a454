"""HW5 P5: the cost of an Inception module, naive vs with 1 x 1 bottlenecks.

On a 256 x 32 x 32 input:

* naive: 1x1 -> 128 | 3x3 p1 -> 192 | 5x5 p2 -> 96 | 3x3 max-pool (stride 1, p1) passing
  the 256 channels through; outputs concatenated (672 channels);
* bottleneck: 1x1 -> 128 | 1x1 -> 64, 3x3 -> 192 | 1x1 -> 64, 5x5 -> 96 | 3x3 max-pool,
  1x1 -> 64 (480 channels).

Counted under the official conventions (``mfdnn.models.googlenet.inception_cost``):
parameters with biases, pooling free; multiplications sum_conv H W C_out C_in k^2 without
biases and pooling (additions are as many); activation evaluations, a ReLU after every
convolution including the reducers and never after the pooling branch. Each hand count is
checked against the PyTorch module: ``numel()`` of its parameters, forward hooks on its
convolutions (multiplications) and on its ReLUs (activations).

metrics.json:
  params_naive, params_bottleneck, mults_naive, mults_bottleneck,
  activations_naive, activations_bottleneck     hand counts
  out_channels_naive, out_channels_bottleneck  channels of the concatenated output
  hooks_agree                                  every hand count equals the module's count
  hooks_disagreeing                            how many of the 6 hand counts differ from it
  mult_ratio                                   mults_naive / mults_bottleneck
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from mfdnn.analysis import count_activations, count_macs, count_parameters
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models.googlenet import (
    Inception,
    NaiveInception,
    bottleneck_convs,
    inception_cost,
    naive_convs,
)

ALL = ("quick", "laptop", "full")
HAND = "mathematics: hand count, HOMEWORK.md HW5 P5 conventions"


@dataclass
class Config:
    in_channels: int = 256
    size: int = 32
    naive: tuple[int, ...] = (128, 192, 96)  # 1x1, 3x3, 5x5
    bottleneck: tuple[int, ...] = (128, 64, 192, 64, 96, 64)  # 1x1, 3r, 3, 5r, 5, pool proj


@experiment(
    "hw5-inception-cost",
    title="Inception module: parameters, multiplications and activations, naive vs bottleneck",
    group="HW5",
    config=Config,
    metrics=("params_naive", "params_bottleneck", "mults_naive", "mults_bottleneck",
             "activations_naive", "activations_bottleneck", "hooks_disagreeing"),
    quick=dict(),
    quick_note="the same counts (they take a second)",
    references={"params_naive": Reference(1_089_952, "hand count"),
                "params_bottleneck": Reference(346_720, "hand count"),
                "mults_naive": Reference(1_115_684_864, "hand count"),
                "mults_bottleneck": Reference(354_418_688, "hand count")},
    claims=(
        Claim("params_naive", "within", 1_089_952, HAND, ALL, tolerance=0),
        Claim("params_bottleneck", "within", 346_720, HAND, ALL, tolerance=0),
        Claim("mults_naive", "within", 1_115_684_864, HAND, ALL, tolerance=0),
        Claim("mults_bottleneck", "within", 354_418_688, HAND, ALL, tolerance=0),
        Claim("activations_naive", "within", 425_984, HAND, ALL, tolerance=0),
        Claim("activations_bottleneck", "within", 622_592, HAND, ALL, tolerance=0),
        Claim("hooks_disagreeing", "within", 0, "HOMEWORK.md HW5 P5: numel() and forward "
              "hooks give the hand counts", ALL, tolerance=0),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    c, hw = cfg.in_channels, (cfg.size, cfg.size)
    shape = (c, cfg.size, cfg.size)
    modules = {"naive": (NaiveInception(c, *cfg.naive), naive_convs(c, *cfg.naive)),
               "bottleneck": (Inception(c, *cfg.bottleneck), bottleneck_convs(c, *cfg.bottleneck))}
    metrics: dict[str, Any] = {}
    disagreeing = 0
    for name, (module, convs) in modules.items():
        hand = inception_cost(c, hw, convs)
        with torch.device("meta"):
            probe = type(module)(c, *(cfg.naive if name == "naive" else cfg.bottleneck))
        measured = {"params": count_parameters(module),
                    "mults": count_macs(probe, shape),
                    "activations": count_activations(probe, shape)}
        disagreeing += sum(measured[key] != hand[key] for key in hand)
        for key, value in hand.items():
            metrics[f"{key}_{name}"] = value
        metrics[f"out_channels_{name}"] = module.out_channels
        ctx.print(f"{name:10s} params {hand['params']:>10,d}  mults {hand['mults']:>14,d}  "
                  f"activations {hand['activations']:>9,d}  (module: {measured})")
    metrics["hooks_agree"] = disagreeing == 0
    metrics["hooks_disagreeing"] = disagreeing
    metrics["mult_ratio"] = round(metrics["mults_naive"] / metrics["mults_bottleneck"], 4)
    return metrics
