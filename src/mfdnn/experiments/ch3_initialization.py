"""Chapter 3b: initialisation and the size of the signal through a deep network.

A deep MLP (``depth`` hidden layers of ``width`` units, each Linear -> activation, biases 0)
gets its weights from five schemes (``mfdnn.nn.init``):

    too_small  N(0, 0.01^2)           the signal dies out
    too_large  N(0, 1)                it explodes (ReLU) or saturates (tanh)
    lecun      N(0, 1 / n_in)         keeps the variance through linear / tanh layers
    xavier     N(0, 2 / (n_in + n_out))
    he         N(0, 2 / n_in)         keeps it through ReLU layers (ReLU halves the 2nd moment)

A batch of standard normal inputs goes forward and a unit-variance gradient comes back; the
standard deviation of each layer's activations (and of their gradients) is recorded. With
ReLU (the default) He's scheme keeps both flat while LeCun / Xavier (equal here: every hidden
layer is square) shrink by sqrt(2) per layer; with tanh (``--set activation=tanh``) LeCun /
Xavier keep the signal alive and the too-large weights saturate every unit.

metrics.json:
  activation_std_<scheme>   per hidden layer, the std of its activations (list), for
                            scheme in too_small, too_large, lecun, xavier, he
  gradient_std_<scheme>     per hidden layer, the std of the gradient at its activations
  log2_gain_<scheme>        log2(last layer's activation std / first layer's) / (depth - 1):
                            the factor per layer, in bits (0: kept; -0.5: shrinks by sqrt 2)
  activation                the activation function used
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import torch
from torch import nn

from mfdnn.analysis import layer_stds
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.nn.init import init_model
from mfdnn.plotting import plt

SCHEMES: dict[str, tuple[str, float | None]] = {
    "too_small": ("normal", 0.01),
    "too_large": ("normal", 1.0),
    "lecun": ("lecun", None),
    "xavier": ("xavier", None),
    "he": ("he", None),
}


# A ReLU layer with N(0, s^2) weights multiplies the second moment by n_in s^2 / 2, the std
# by sqrt(n_in s^2 / 2): 1 for He, 1/sqrt(2) for LeCun and Xavier (square layers), 0.16 and
# 16 for the fixed 0.01 and 1 at width 512 (0.11 and 11 at 256). Over 10-20 layers of
# 256-512 units the measured factor scatters by a few hundredths of a bit. (The claims are
# about the default ReLU; with --set activation=tanh they do not apply.)
ALL = ("quick", "laptop", "full")
CLAIMS = (
    Claim("log2_gain_he", "within", 0.0, "He et al. 2015: Var(y_l) = Var(y_(l-1)) with "
          "s^2 = 2 / n_in", ALL, tolerance=0.1),
    Claim("log2_gain_lecun", "within", -0.5, "mathematics: ReLU halves the second moment",
          ALL, tolerance=0.1),
    Claim("log2_gain_xavier", "within", -0.5, "mathematics: ReLU halves the second moment",
          ALL, tolerance=0.1),
    Claim("log2_gain_too_small", "<", -1.0, "mathematics: std factor 0.01 sqrt(n_in / 2) < 1/2",
          ALL),
    Claim("log2_gain_too_large", ">", 1.0, "mathematics: std factor sqrt(n_in / 2) > 2", ALL),
)


@dataclass
class Config:
    depth: int = 20
    width: int = 512
    batch: int = 1000
    activation: Literal["relu", "tanh"] = "relu"


def deep_mlp(depth: int, width: int, activation: str) -> nn.Sequential:
    act = nn.ReLU if activation == "relu" else nn.Tanh
    layers: list[nn.Module] = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), act()]
    return nn.Sequential(*layers, nn.Linear(width, 10))


def _finite(values: list[float]) -> list[float]:
    """inf / nan (an exploded signal) become the largest float, so metrics stay JSON."""
    return [v if math.isfinite(v) else 1.7976931348623157e308 for v in values]


def _log2_gain(stds: list[float]) -> float:
    """log2(std_last / std_first) / (layers - 1), a std of 0 counted as the smallest float."""
    tiny = 5e-324
    return math.log2(max(stds[-1], tiny) / max(stds[0], tiny)) / max(len(stds) - 1, 1)


@experiment(
    "ch3-initialization",
    title="Initialisation: activation size through a deep network (LeCun, Xavier, He)",
    group="Ch3",
    config=Config,
    metrics=(*(f"activation_std_{s}" for s in SCHEMES), *(f"log2_gain_{s}" for s in SCHEMES)),
    quick=dict(depth=10, width=256, batch=256),
    quick_note="10 layers of 256 units, 256 inputs",
    claims=CLAIMS,
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    x = torch.randn(cfg.batch, cfg.width, generator=torch.Generator().manual_seed(ctx.seed))
    metrics: dict[str, Any] = {}
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for i, (name, (scheme, std)) in enumerate(SCHEMES.items()):
        ctx.reseed(i)
        model = init_model(deep_mlp(cfg.depth, cfg.width, cfg.activation), scheme, std)
        forward, backward = layer_stds(model, x, generator=torch.Generator().manual_seed(i))
        metrics[f"activation_std_{name}"] = _finite(forward)
        metrics[f"gradient_std_{name}"] = _finite(backward)
        metrics[f"log2_gain_{name}"] = _log2_gain(_finite(forward))
        layers = range(1, cfg.depth + 1)
        axes[0].plot(layers, forward, "o-", ms=3, label=name)
        axes[1].plot(layers, backward, "o-", ms=3, label=name)
        ctx.print(f"{name:9s} activation std: layer 1 {forward[0]:.3g}, layer {cfg.depth} "
                  f"{forward[-1]:.3g}; gradient std: layer 1 {backward[0]:.3g}")
    for ax, what in zip(axes, ("activations", "gradients"), strict=True):
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer")
        ax.set_ylabel(f"std of the {what}")
        ax.grid(alpha=0.3)
    axes[0].legend()
    fig.suptitle(f"{cfg.depth}-layer {cfg.activation} MLP, width {cfg.width}")
    ctx.savefig(fig, "initialization")
    metrics["activation"] = cfg.activation
    return metrics
