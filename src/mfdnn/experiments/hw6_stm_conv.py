"""HW6 P4: the split-transform-merge (ResNeXt) layer and its grouped-convolution form.

Both blocks map 256 channels to 256 at any spatial size, with a bias in every conv:

* plain bottleneck: 1x1 256 -> 128, ReLU, 3x3 128 -> 128 (p1), ReLU, 1x1 128 -> 256:
  (256*128 + 128) + (9*128*128 + 128) + (128*256 + 256) = 213,504 parameters;
* STM layer: 32 paths, each 1x1 256 -> 4, ReLU, 3x3 4 -> 4 (p1), ReLU, 1x1 4 -> 256, summed:
  32 [(256*4 + 4) + (9*4*4 + 4) + (4*256 + 256)] = 78,592 parameters.

The STM layer's weights are copied into (b) the concatenated paths followed by one 1x1
conv 128 -> 256 whose bias is the sum of the 32 final biases, and (c) 1x1 256 -> 128, a
grouped 3x3 (groups 32), 1x1 128 -> 256; the three outputs agree to float precision
(no activation after the sum: the problem is silent, and that is the default).

metrics.json:
  params_bottleneck, params_stm   numel() of the PyTorch modules (equal to the hand counts)
  params_grouped                  numel() of form (c): 78,592 - 31 * 256 shared biases
  hand_counts_agree               numel() equals the hand formulas
  max_abs_diff_grouped            max |STM(x) - grouped(x)| on a random batch
  max_abs_diff_concat             max |STM(x) - concat(x)|
  shape_preserved                 the output shape equals the input shape
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from mfdnn.analysis import conv2d_params, count_parameters
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models.resnext import (
    ConcatSTM,
    GroupedSTM,
    STMConvLayer,
    bottleneck_block,
    stm_param_count,
)

ALL = ("quick", "laptop", "full")
HAND = "mathematics: hand count with biases, HOMEWORK.md HW6 P4"


@dataclass
class Config:
    channels: int = 256
    bottleneck_width: int = 128
    cardinality: int = 32
    path_width: int = 4
    batch: int = 8
    size: int = 16


@experiment(
    "hw6-stm-conv",
    title="Split-transform-merge layer: parameter count and its grouped-convolution form",
    group="HW6",
    config=Config,
    metrics=("params_bottleneck", "params_stm", "params_grouped", "max_abs_diff_grouped",
             "max_abs_diff_concat"),
    quick=dict(batch=2, size=8),
    quick_note="2 images of 8 x 8 for the equivalence check (the counts are the same)",
    references={"params_bottleneck": Reference(213_504, "hand count"),
                "params_stm": Reference(78_592, "hand count")},
    claims=(
        Claim("params_bottleneck", "within", 213_504, HAND, ALL, tolerance=0),
        Claim("params_stm", "within", 78_592, HAND, ALL, tolerance=0),
        Claim("params_grouped", "within", 70_656, "mathematics: 78,592 - 31 x 256 biases "
              "merged into one", ALL, tolerance=0),
        # float32 sums of 32 paths of O(1) values: round-off ~1e-6; a wrong copy is O(1) off
        Claim("max_abs_diff_grouped", "<=", 1e-5, "HOMEWORK.md HW6 P4: the three forms are "
              "equal to float precision", ALL),
        Claim("max_abs_diff_concat", "<=", 1e-5, "HOMEWORK.md HW6 P4: the three forms are "
              "equal to float precision", ALL),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    c, w = cfg.channels, cfg.bottleneck_width
    bottleneck = bottleneck_block(c, w, c)
    stm = STMConvLayer(c, c, cfg.cardinality, cfg.path_width)
    concat, grouped = ConcatSTM.from_paths(stm), GroupedSTM.from_paths(stm)
    hand_bottleneck = conv2d_params(c, w, 1) + conv2d_params(w, w, 3) + conv2d_params(w, c, 1)
    hand_stm = stm_param_count(c, c, cfg.cardinality, cfg.path_width)
    params_bottleneck, params_stm = count_parameters(bottleneck), count_parameters(stm)

    x = torch.randn(cfg.batch, c, cfg.size, cfg.size)
    with torch.no_grad():
        y = stm(x)
        diff_grouped = (y - grouped(x)).abs().max().item()
        diff_concat = (y - concat(x)).abs().max().item()
    ctx.print(f"bottleneck {params_bottleneck:,d} parameters, STM {params_stm:,d}; "
              f"max |STM - grouped| = {diff_grouped:.2e}, max |STM - concat| = {diff_concat:.2e}")
    return {
        "params_bottleneck": params_bottleneck,
        "params_stm": params_stm,
        "params_grouped": count_parameters(grouped),
        "hand_counts_agree": params_bottleneck == hand_bottleneck and params_stm == hand_stm,
        "max_abs_diff_grouped": diff_grouped,
        "max_abs_diff_concat": diff_concat,
        "shape_preserved": tuple(y.shape) == tuple(x.shape),
    }
