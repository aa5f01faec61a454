"""Chapter 5.3 demo: a VAE on binarised MNIST, its ELBO and its IWAE bound.

The model of Burda et al. (2016, one stochastic layer): a Gaussian encoder
784 -> 200 -> 200 -> (mu, log sigma) in R^50 and a Bernoulli decoder 50 -> 200 -> 200 -> 784
(tanh hidden units), prior N(0, I); loss -ELBO with the closed-form KL and one
reparameterised sample (``beta`` != 1 gives the beta-VAE). Training images are binarised
afresh in every batch (x ~ Bernoulli(pixel), "dynamic binarisation"); the test images are
binarised once with a fixed seed. Adam lr 1e-3, batch 100.

After training, on the test set:

* ``test_elbo``: mean ELBO, nats (one sample of Z per image);
* ``test_iwae_bound``: mean IWAE bound with K = ``iwae_k`` samples, a tighter lower bound on
  log p(x) (IWAE >= ELBO in expectation; Burda et al. report -86.76 for this VAE after
  3,280 epochs, with K = 5000).

* ``test_ll_pixel_marginal``: the baseline, the exact mean log-likelihood of independent
  Bernoulli pixels with the training set's mean intensities (a VAE with no latent).

metrics.json:
  test_elbo, test_iwae_bound, iwae_k, test_kl (mean KL term), train_loss_curve, epochs,
  test_ll_pixel_marginal
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from mfdnn import data
from mfdnn.experiments.core.claims import Claim
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import Reference, experiment
from mfdnn.plotting import plt
from mfdnn.samples import image_grid
from mfdnn.vae import VAE, BernoulliDecoder, GaussianEncoder, vae_loss


@dataclass
class Config:
    epochs: int = 100
    lr: float = 1e-3
    batch_size: int = 100
    hidden: int = 200
    latent: int = 50
    beta: float = 1.0
    iwae_k: int = 1000
    train_size: int | None = None
    test_size: int | None = None
    eval_batch_size: int = 100


def build(cfg: Config) -> VAE:
    h, k = cfg.hidden, cfg.latent
    encoder = nn.Sequential(nn.Linear(784, h), nn.Tanh(), nn.Linear(h, h), nn.Tanh(),
                            nn.Linear(h, 2 * k))
    decoder = nn.Sequential(nn.Linear(k, h), nn.Tanh(), nn.Linear(h, h), nn.Tanh(),
                            nn.Linear(h, 784))
    return VAE(GaussianEncoder(encoder), BernoulliDecoder(decoder), latent_dim=k, beta=cfg.beta)


def binarize(x: torch.Tensor) -> torch.Tensor:
    """x ~ Bernoulli(pixel intensity)."""
    return torch.bernoulli(x)


@torch.no_grad()
def evaluate_bounds(model: VAE, x: torch.Tensor, k: int, batch_size: int
                    ) -> dict[str, float]:
    model.eval()
    elbo, iwae, kl = [], [], []
    for xb in x.split(batch_size):
        terms = model.elbo_terms(xb)
        elbo.append(terms["log_likelihood"] - terms["kl"])
        kl.append(terms["kl"])
        iwae.append(torch.cat([model.iwae(xc, k) for xc in xb.split(max(1, 20000 // k))]))
    return {"test_elbo": torch.cat(elbo).mean().item(),
            "test_iwae_bound": torch.cat(iwae).mean().item(),
            "test_kl": torch.cat(kl).mean().item()}


@experiment(
    "ch5-vae-mnist",
    title="A VAE on binarised MNIST: ELBO, IWAE bound, samples and reconstructions",
    group="Ch5",
    config=Config,
    metrics=("test_elbo", "test_iwae_bound", "iwae_k", "test_ll_pixel_marginal"),
    quick=dict(epochs=3, train_size=20000, test_size=500, iwae_k=20),
    quick_note="3 epochs on 20,000 images; bounds on 500 test images with K = 20",
    laptop=dict(epochs=20, iwae_k=200),
    laptop_note="20 epochs instead of 100; IWAE bound with K = 200 instead of 1,000",
    references={
        "test_iwae_bound": Reference(-86.76, "Burda et al. 2016, Table 1: this VAE's log p "
                                             "estimate (K = 5000) after 3,280 epochs"),
    },
    claims=(
        Claim("test_iwae_bound", ">", "test_elbo", "Burda et al. 2016: IWAE bound >= ELBO",
              profiles=("quick", "laptop", "full")),
        Claim("test_iwae_bound", "<=", 0, "mathematics: bound <= log p(x) <= 0 (binary x)",
              profiles=("quick", "laptop", "full")),
        Claim("test_elbo", ">", "test_ll_pixel_marginal",
              "sanity: the VAE beats independent pixels", profiles=("quick", "laptop", "full")),
        # the paper's -86.76 takes 3,280 epochs; 20 to 100 epochs leave it some nats short
        Claim("test_iwae_bound", ">=", -100, "Burda et al. 2016, Table 1: -86.76",
              note="quick trains 3 epochs on 20,000 images: about -170 nats"),
    ),
)
def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    train_x = data.load("mnist", "train").subset(slice(0, cfg.train_size)).float01(ctx.device)
    test_x = data.load("mnist", "test").subset(slice(0, cfg.test_size)).float01(ctx.device)
    train_x, test_x = train_x.flatten(1), test_x.flatten(1)
    test_gen = torch.Generator(device=ctx.device).manual_seed(ctx.seed)
    test_bin = torch.bernoulli(test_x, generator=test_gen)
    ctx.reseed()
    model = build(cfg).to(ctx.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    result = ctx.fit(model, vae_loss, optimizer, (train_x,), epochs=cfg.epochs,
                     batch_size=cfg.batch_size, shuffle=True, transform=binarize,
                     checkpoint="vae", desc="VAE")
    bounds = evaluate_bounds(model, test_bin, cfg.iwae_k, cfg.eval_batch_size)
    pixel_mean = train_x.mean(0).clamp(1e-6, 1 - 1e-6)  # log p(x) = sum x log m + (1-x) log(1-m)
    bounds["test_ll_pixel_marginal"] = (test_bin @ pixel_mean.log()
                                        + (1 - test_bin) @ (-pixel_mean).log1p()).mean().item()
    ctx.print(f"test ELBO {bounds['test_elbo']:.2f} nats, IWAE bound (K = {cfg.iwae_k}) "
              f"{bounds['test_iwae_bound']:.2f} nats")

    with torch.no_grad():
        model.eval()
        samples = model.sample(64).reshape(-1, 28, 28).cpu()
        mu, _ = model.encoder(test_bin[:16])
        recon = model.decoder.mean(mu).reshape(-1, 28, 28).cpu()
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.imshow(image_grid(samples), cmap="gray", vmin=0, vmax=1)
    ax.set_title("VAE samples (decoder means)")
    ax.axis("off")
    ctx.savefig(fig, "samples")
    fig, ax = plt.subplots(figsize=(9, 2.6))
    shown = torch.cat([test_bin[:16].reshape(-1, 28, 28).cpu(), recon])
    ax.imshow(image_grid(shown, nrow=16), cmap="gray", vmin=0, vmax=1)
    ax.set_title("test images (binarised) and their reconstructions")
    ax.axis("off")
    ctx.savefig(fig, "reconstructions")
    return bounds | {"iwae_k": cfg.iwae_k, "epochs": len(result.history),
                     "train_loss_curve": result.curve("loss")}
