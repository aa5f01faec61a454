"""HW3 P1-P2 (``threelayerSGD.py``): an MLP 1 -> 64 -> 64 -> 1 with sigmoids fitted to
f*(x) = (x - 2) cos(4x) by minibatch SGD in PyTorch, then retrained on noisy labels.

Draws (torch CPU, ``torch.manual_seed(seed)``): X_train = randn(512), y_train = f*(X_train);
X_val = randn(102), y_val = f*(X_val); then the model is built (PyTorch's default init
consumes the generator) and every weight is overwritten with i.i.d. N(0, 1) in layer order,
every bias set to 0.03. Training: ``MSELoss`` (mean, no 1/2), SGD lr 0.1 (``mfdnn.optim.SGD``,
the same iterates as ``torch.optim.SGD``), batch 128, 1000 epochs, the training set shuffled
every epoch (the text's "shuffled cyclic" SGD; ``--set shuffle=false`` is the starter's
unshuffled loader).

P2: the network has p = 4353 parameters, p >> N = 512. The noisy run keeps X_train and X_val
(the same seeded draws and the same initialisation) and adds N(0, 0.5^2) noise to y_train,
drawn from a separate generator seeded with seed + 1. Validation labels stay clean. Expected:
the noisy fit looks like the clean one, without catastrophic overfitting.

metrics.json:
  num_params         trainable parameters, counted by code
  num_params_formula sum_l n_l (n_{l-1} + 1) for widths (1, 64, 64, 1)
  val_mse_initial    validation MSE of the initialised network, before training
  val_mse            validation MSE of the clean run after the last epoch
  val_mse_noisy      validation MSE (clean labels) of the noisy-label run
  train_mse, train_mse_noisy   training MSE on each run's own labels
  val_mse_curve, val_mse_noisy_curve   every 10 epochs (the starter's log)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from mfdnn.data.synthetic.curves import f_star
from mfdnn.experiments._threads import single_thread
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import experiment
from mfdnn.models.shallow import (
    count_parameters,
    course_init_,
    mlp_parameter_count,
    three_layer_net,
)
from mfdnn.optim import SGD
from mfdnn.plotting import plt
from mfdnn.train import predict

ALL_PROFILES = ("quick", "laptop", "full")


@dataclass
class Config:
    N: int = 512
    width: int = 64
    lr: float = 0.1
    batch_size: int = 128
    epochs: int = 1000
    shuffle: bool = True
    noise_std: float = 0.5
    log_every: int = 10


def mse_loss(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.mse_loss(model(x), y)


def train_run(cfg: Config, ctx: RunContext, noise_std: float) -> dict[str, Any]:
    """One run of the script: seeded draws, model, (noisy) labels, training."""
    ctx.reseed()
    X_train = torch.randn(cfg.N)
    y_train = f_star(X_train)
    X_val = torch.randn(cfg.N // 5)
    y_val = f_star(X_val)
    X_train, y_train = X_train.reshape(-1, 1), y_train.reshape(-1, 1)
    X_val, y_val = X_val.reshape(-1, 1), y_val.reshape(-1, 1)
    if noise_std > 0:
        noise = torch.Generator().manual_seed(ctx.seed + 1)
        y_train = y_train + noise_std * torch.randn(y_train.shape, generator=noise)
    model = course_init_(three_layer_net(cfg.width)).to(ctx.device)
    train = (X_train.to(ctx.device), y_train.to(ctx.device))
    val = (X_val.to(ctx.device), y_val.to(ctx.device))
    val_mse_initial = F.mse_loss(predict(model, val[0]), val[1]).item()

    def evaluate(m: torch.nn.Module, _epoch: float) -> dict[str, float]:
        return {"train_mse": F.mse_loss(predict(m, train[0]), train[1]).item(),
                "val_mse": F.mse_loss(predict(m, val[0]), val[1]).item()}

    result = ctx.fit(model, mse_loss, SGD(model.parameters(), lr=cfg.lr), train,
                     epochs=cfg.epochs, batch_size=cfg.batch_size, shuffle=cfg.shuffle,
                     evaluate=evaluate, desc="noisy labels" if noise_std > 0 else "clean labels")
    return {"model": model, "result": result, "X_train": X_train, "y_train": y_train,
            "val_mse_initial": val_mse_initial}


@experiment(
    "hw3-three-layer-sgd",
    title="Three-layer sigmoid MLP fitted by minibatch SGD, with clean and noisy labels",
    group="HW3",
    config=Config,
    metrics=("num_params", "val_mse_initial", "val_mse", "val_mse_noisy"),
    quick={},
    quick_note="the course's settings (the run takes about 20 s)",
    claims=(
        Claim("num_params", "within", 4353, "HOMEWORK.md HW3 P2: p = sum n_l (n_{l-1} + 1) "
              "for widths (1, 64, 64, 1)", profiles=ALL_PROFILES, tolerance=0),
        Claim("val_mse", "<", "val_mse_initial", "HOMEWORK.md HW3 P1: SGD fits f*",
              profiles=ALL_PROFILES),
        Claim("val_mse_noisy", "<", "val_mse_initial", "HOMEWORK.md HW3 P2: no catastrophic "
              "overfitting of the noisy labels", profiles=ALL_PROFILES),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    with single_thread(ctx.device.type == "cpu"):  # tiny model: one thread is faster
        return _run(cfg, ctx)


def _run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    clean = train_run(cfg, ctx, 0.0)
    noisy = train_run(cfg, ctx, cfg.noise_std)
    num_params = count_parameters(clean["model"])
    formula = mlp_parameter_count((1, cfg.width, cfg.width, 1))
    c, n = clean["result"], noisy["result"]
    ctx.print(f"p = {num_params} parameters (formula {formula}) for N = {cfg.N}; validation MSE "
              f"{c.last('val_mse'):.4f} (clean), {n.last('val_mse'):.4f} (noisy labels)")

    grid = torch.linspace(-2, 2, 1024).reshape(-1, 1)
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    for ax, run_, title in ((axes[0], clean, "clean labels"), (axes[1], noisy, "noisy labels")):
        ax.plot(run_["X_train"].flatten().numpy(), run_["y_train"].flatten().numpy(), ".",
                color="0.6", ms=3, label="training data")
        ax.plot(grid.flatten().numpy(), f_star(grid).flatten().numpy(), "k-", lw=2, label="f*")
        learned = predict(run_["model"], grid.to(ctx.device)).cpu().flatten().numpy()
        ax.plot(grid.flatten().numpy(), learned, "r-", lw=1.5, label="learned")
        ax.set_xlim(-2, 2)
        ax.set_title(f"{title}: validation MSE {run_['result'].last('val_mse'):.4f}")
        ax.set_xlabel("x")
        ax.legend(fontsize=8)
    epochs = range(1, cfg.epochs + 1)
    for result, label in ((c, "clean"), (n, "noisy")):
        axes[2].semilogy(epochs, result.curve("train_mse"), label=f"train ({label})")
        axes[2].semilogy(epochs, result.curve("val_mse"), "--", label=f"validation ({label})")
    axes[2].set_xlabel("epoch")
    axes[2].set_ylabel("MSE")
    axes[2].legend(fontsize=8)
    axes[2].set_title(f"p = {num_params} parameters, N = {cfg.N}")
    ctx.savefig(fig, "fit")
    every = slice(cfg.log_every - 1, None, cfg.log_every)
    return {
        "num_params": num_params,
        "num_params_formula": formula,
        "val_mse_initial": clean["val_mse_initial"],
        "val_mse": c.last("val_mse"),
        "val_mse_noisy": n.last("val_mse"),
        "train_mse": c.last("train_mse"),
        "train_mse_noisy": n.last("train_mse"),
        "val_mse_curve": c.curve("val_mse")[every],
        "val_mse_noisy_curve": n.curve("val_mse")[every],
    }
