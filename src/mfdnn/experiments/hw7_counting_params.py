"""HW7 P2 (``counting_params.py``): are linear layers compute-heavy?

The torchvision-style AlexNet on a 3 x 227 x 227 input (conv1 11 x 11 stride 4 without
padding, 64/192/384/256/256 channels, three max-pools 3/2, FC 9216 -> 4096 -> 4096 -> 1000;
``mfdnn.models.alexnet.AlexNet(first_padding=0)``). The starter prints the parameters of
the conv and linear layers; the task adds the forward multiply-adds per layer, under the
official convention: one multiply-add per weight use, a conv costs
H_out W_out C_out C_in k^2 and a linear layer in * out; biases, pooling and activations are
not counted. Linear layers hold about 96% of the parameters, convolutions do about 92% of
the compute.

metrics.json:
  params_conv, params_linear       parameters (biases included) of conv and linear layers
  macs_conv, macs_linear           forward multiply-adds per image
  macs_per_layer                   per layer, in order (conv1..conv5, fc1..fc3)
  layers                           the layer names, same order
  output_shapes                    each layer's output shape
  param_share_linear, mac_share_conv
  convention                       the counting convention (multiplications and additions
                                   counted separately would double every figure)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from mfdnn.analysis import layer_costs, macs_by_kind, parameters_by_kind
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models.alexnet import AlexNet
from mfdnn.plotting import plt

ALL = ("quick", "laptop", "full")
HAND = "mathematics: hand count, HOMEWORK.md HW7 P2 network"

NAMES = ("conv1", "conv2", "conv3", "conv4", "conv5", "fc1", "fc2", "fc3")


@dataclass
class Config:
    image_size: int = 227
    first_padding: int = 0
    num_classes: int = 1000


@experiment(
    "hw7-counting-params",
    title="AlexNet: linear layers hold the parameters, convolutions do the compute",
    group="HW7",
    config=Config,
    metrics=("params_conv", "params_linear", "macs_conv", "macs_linear", "macs_per_layer",
             "param_share_linear", "mac_share_conv"),
    quick=dict(),
    quick_note="the same counts (on the meta device they cost nothing)",
    references={"params_conv": Reference(2_469_696, "hand count"),
                "params_linear": Reference(58_631_144, "hand count"),
                "macs_conv": Reference(655_566_528, "hand count"),
                "macs_linear": Reference(58_621_952, "hand count")},
    claims=(
        Claim("params_conv", "within", 2_469_696, HAND, ALL, tolerance=0),
        Claim("params_linear", "within", 58_631_144, HAND, ALL, tolerance=0),
        Claim("macs_conv", "within", 655_566_528, HAND, ALL, tolerance=0),
        Claim("macs_linear", "within", 58_621_952, HAND, ALL, tolerance=0),
        Claim("param_share_linear", ">", 0.5, "HOMEWORK.md HW7 P2: linear layers hold the "
              "parameters", ALL),
        Claim("mac_share_conv", ">", 0.5, "HOMEWORK.md HW7 P2: convolutions dominate the "
              "compute", ALL),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    with torch.device("meta"):
        model = AlexNet(cfg.num_classes, first_padding=cfg.first_padding)
    costs = layer_costs(model, (3, cfg.image_size, cfg.image_size))
    params, macs = parameters_by_kind(model), macs_by_kind(costs)
    names = list(NAMES) if len(costs) == len(NAMES) else [c.name for c in costs]
    for name, c in zip(names, costs, strict=True):
        ctx.print(f"{name:6s} out {str(c.output_shape):18s} params {c.params:>11,d} "
                  f"MACs {c.macs:>13,d}")
    total_params, total_macs = params["conv"] + params["linear"], sum(macs.values())
    ctx.print(f"linear layers: {params['linear'] / total_params:.1%} of the parameters, "
              f"{macs['linear'] / total_macs:.1%} of the multiply-adds")

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    axes[0].bar(names, [c.params / 1e6 for c in costs], color="tab:blue")
    axes[0].set_ylabel("parameters (M)")
    axes[1].bar(names, [c.macs / 1e6 for c in costs], color="tab:orange")
    axes[1].set_ylabel("multiply-adds (M)")
    for ax in axes:
        ax.tick_params(axis="x", rotation=45)
    fig.suptitle(f"AlexNet at {cfg.image_size} x {cfg.image_size}: parameters vs compute "
                 "per layer")
    ctx.savefig(fig, "alexnet_layers")
    return {
        "params_conv": params["conv"],
        "params_linear": params["linear"],
        "macs_conv": macs["conv"],
        "macs_linear": macs["linear"],
        "macs_per_layer": [c.macs for c in costs],
        "layers": names,
        "output_shapes": [list(c.output_shape) for c in costs],
        "param_share_linear": round(params["linear"] / total_params, 4),
        "mac_share_conv": round(macs["conv"] / total_macs, 4),
        "convention": "one multiply-add per weight use (biases, pooling, activations not "
                      "counted); count multiplications and additions separately to double",
    }
