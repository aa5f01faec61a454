"""Chapter 3c: the ImageNet architectures side by side, parameters and multiply-adds.

Every network is built on the ``meta`` device (shapes only, no memory, no arithmetic) in
its ImageNet configuration and run once on a 3 x 224 x 224 input with forward hooks that
count the multiply-adds of every convolution and linear layer (one per weight use; biases,
pooling, normalisation and activations not counted: the course's convention of HW5 P5 and
HW7 P2). GoogLeNet is counted without its auxiliary classifiers.

Counts equal torchvision's published ones for the standard architectures. Two variants
differ on purpose: ``googlenet`` is the paper's network (5 x 5 branches with biases, no
BatchNorm: 6,998,552 parameters), whose torchvision form (BatchNorm, 3 x 3 "5 x 5" branches)
has 6,624,904, also reported as ``params_googlenet_torchvision``; ``resnet50`` is v1.5
(torchvision's; v1 has the same parameters and fewer multiply-adds, ``macs_resnet50_v1``).

metrics.json:
  params_<model>, macs_<model>   for alexnet, vgg11, vgg13, vgg16, vgg19, googlenet,
                                 resnet18, resnet34, resnet50, resnext50_32x4d, densenet121,
                                 se_resnet50 (macs at 3 x 224 x 224, per image)
  linear_param_share_<model>     fraction of the parameters in linear layers
  conv_mac_share_<model>         fraction of the multiply-adds in convolutions
  params_googlenet_torchvision, macs_googlenet_torchvision, macs_resnet50_v1
  image_size                     the input side used (224)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from mfdnn.analysis import layer_costs, macs_by_kind, parameters_by_kind
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.models import zoo
from mfdnn.plotting import plt

MODELS = ("alexnet", "vgg11", "vgg13", "vgg16", "vgg19", "googlenet", "resnet18", "resnet34",
          "resnet50", "resnext50_32x4d", "densenet121", "se_resnet50")

# torchvision's model table, "GFLOPS" column (multiply-adds of conv and linear layers)
_TORCHVISION_GMACS = {"alexnet": 0.71, "vgg11": 7.61, "vgg13": 11.31, "vgg16": 15.47,
                      "vgg19": 19.63, "googlenet": 1.5, "resnet18": 1.81, "resnet34": 3.66,
                      "resnet50": 4.09, "resnext50_32x4d": 4.23, "densenet121": 2.83}


def _references() -> dict[str, Reference]:
    refs = {}
    for name in MODELS:
        published = zoo.PUBLISHED.get((name, "imagenet", 3, 1000))
        if published:
            refs[f"params_{name}"] = Reference(published[0], published[1])
        if name in _TORCHVISION_GMACS:
            refs[f"macs_{name}"] = Reference(_TORCHVISION_GMACS[name] * 1e9,
                                             "torchvision model table (GFLOPS = GMACs)")
    refs["params_googlenet"] = Reference(6_624_904, "torchvision googlenet (a variant: BN, "
                                                    "3x3 in the 5x5 branch); the paper's is "
                                                    "6,998,552")
    refs["params_googlenet_torchvision"] = Reference(6_624_904, "torchvision googlenet")
    return refs


def _claims() -> tuple[Claim, ...]:
    """Parameter counts equal the published ones exactly; multiply-adds equal torchvision's
    table to the 0.01 G it prints. GoogLeNet is the paper's network here: torchvision's
    figures are claimed for its own variant. He et al. print 3.8 G for ResNet-50 v1 with the
    decimals cut, not rounded (their 3.6 G for ResNet-34 is torchvision's 3.66 G): a value
    in [3.8, 3.9) G."""
    every = ("quick", "laptop", "full")
    claims = []
    for name in MODELS:
        published = zoo.PUBLISHED.get((name, "imagenet", 3, 1000))
        if published and name != "se_resnet50":
            claims.append(Claim(f"params_{name}", "within", published[0], published[1], every,
                                tolerance=0))
        if name in _TORCHVISION_GMACS and name != "googlenet":
            claims.append(Claim(f"macs_{name}", "within", _TORCHVISION_GMACS[name] * 1e9,
                                "torchvision model table (GFLOPS = GMACs)", every,
                                tolerance=0.005e9))
    return (*claims,
            Claim("params_se_resnet50", "within", 28.1e6, "Hu et al. 2018: 28.1M", every,
                  tolerance=0.05e6),
            Claim("params_googlenet_torchvision", "within", 6_624_904, "torchvision googlenet",
                  every, tolerance=0),
            Claim("macs_googlenet_torchvision", "within", 1.5e9,
                  "torchvision model table (GFLOPS = GMACs)", every, tolerance=0.005e9),
            Claim("macs_resnet50_v1", "within", 3.85e9, "He et al. 2016, Table 1 (3.8 x 10^9)",
                  every, tolerance=0.05e9))


@dataclass
class Config:
    models: tuple[str, ...] = MODELS
    image_size: int = 224


def profile(name: str, image_size: int, **kwargs) -> dict[str, Any]:
    """Parameters and multiply-adds of zoo model ``name`` (ImageNet config), on meta."""
    with torch.device("meta"):
        model = zoo.build(name, "imagenet", init="default", **kwargs)
    costs = layer_costs(model, (3, image_size, image_size))
    params = parameters_by_kind(model)
    macs = macs_by_kind(costs)
    total_params, total_macs = sum(params.values()), sum(macs.values())
    return {"params": total_params, "macs": total_macs,
            "linear_param_share": params["linear"] / total_params,
            "conv_mac_share": macs["conv"] / total_macs}


@experiment(
    "ch3-model-zoo",
    title="The ImageNet architectures: parameters and multiply-adds at 224 x 224",
    group="Ch3",
    config=Config,
    metrics=(*(f"{k}_{m}" for m in MODELS for k in ("params", "macs")),
             "params_googlenet_torchvision", "macs_googlenet_torchvision", "macs_resnet50_v1"),
    quick=dict(),
    quick_note="the same counts (they cost nothing on the meta device)",
    references=_references(),
    claims=_claims(),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    for name in cfg.models:
        zoo.entry(name)  # unknown names fail here, before any work
    rows = {name: profile(name, cfg.image_size) for name in cfg.models}
    metrics: dict[str, Any] = {}
    for name, row in rows.items():
        metrics[f"params_{name}"] = row["params"]
        metrics[f"macs_{name}"] = row["macs"]
    for name, row in rows.items():
        metrics[f"linear_param_share_{name}"] = round(row["linear_param_share"], 4)
        metrics[f"conv_mac_share_{name}"] = round(row["conv_mac_share"], 4)
    tv = profile("googlenet", cfg.image_size, torchvision=True)
    metrics["params_googlenet_torchvision"] = tv["params"]
    metrics["macs_googlenet_torchvision"] = tv["macs"]
    metrics["macs_resnet50_v1"] = profile("resnet50", cfg.image_size, version="v1")["macs"]
    metrics["image_size"] = cfg.image_size
    ctx.note(zoo.DIFFERS["googlenet"])
    for name, row in rows.items():
        ctx.print(f"{name:16s} {row['params']:>13,d} parameters {row['macs'] / 1e9:7.2f} GMACs")

    fig, ax = plt.subplots(figsize=(7.5, 5))
    for name, row in rows.items():
        ax.scatter(row["macs"] / 1e9, row["params"] / 1e6, s=30)
        ax.annotate(name, (row["macs"] / 1e9, row["params"] / 1e6), fontsize=8,
                    xytext=(4, 2), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(f"multiply-adds per {cfg.image_size}x{cfg.image_size} image (G)")
    ax.set_ylabel("parameters (M)")
    ax.set_title("Chapter 3 architectures: size vs compute")
    ax.grid(alpha=0.3, which="both")
    ctx.savefig(fig, "params_vs_macs")

    fig, ax = plt.subplots(figsize=(8, 4))
    names = list(rows)
    x = range(len(names))
    ax.bar([i - 0.2 for i in x], [rows[n]["linear_param_share"] for n in names], 0.4,
           label="share of parameters in linear layers")
    ax.bar([i + 0.2 for i in x], [1 - rows[n]["conv_mac_share"] for n in names], 0.4,
           label="share of multiply-adds in linear layers")
    ax.set_xticks(list(x), names, rotation=45, ha="right")
    ax.set_ylim(0, 1)
    ax.legend()
    ax.set_title("Linear layers hold the parameters, convolutions do the compute")
    ctx.savefig(fig, "linear_shares")
    return metrics
