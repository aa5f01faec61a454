"""HW12 P3-P4: a VAE and a GAN learn the Swiss roll (Spring 2024 specification).

Data: make_swiss_roll(2000): t = 2 pi sqrt(U) with U ~ U(0.25, 4) (all 2000 uniforms first),
points (0.1 t cos t, 0.1 t sin t), plus 0.025 N(0, I_2) noise drawn afterwards as one
multivariate_normal call of shape 2000 x 2; float32, shuffled loader, batch 64.
VAE: encoder 2 -> 128 -> 128 -> 2 (mu, log sigma), decoder 1 -> 64 -> 64 -> 2, LeakyReLU(0.2)
then tanh; p(x|z) = N(f(z), I / 150); loss 150 MSE + KL; Adam 5e-4; 2000 epochs.
GAN: discriminator 2 -> 128 -> 128 -> 1 (tanh, sigmoid output), generator 1 -> 32 -> 2 (tanh);
per batch one D step on mean(-log D(x) - log(1 - D(G(z)))) then one G step on
mean(log(1 - D(G(z')))) with a fresh z'; Adam 5e-4 both; 2000 epochs.

Implement ``make_swiss_roll``, ``vae_loss``, ``discriminator_loss`` and ``generator_loss``.
Self-check: ``mfdnn check hw12 swiss_roll.py``. ``python swiss_roll.py [EPOCHS]``.
"""

import sys

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def make_swiss_roll(n, rng):
    """n points of the noisy Swiss roll as a float32 tensor n x 2, drawn from ``rng`` (a
    np.random.RandomState): the n uniforms first, then one multivariate_normal(0, I_2, n)."""
    # BEGIN SOLUTION: t = 2 pi sqrt(U(0.25, 4)); (0.1 t cos t, 0.1 t sin t) + 0.025 noise
    t = 2 * np.pi * np.sqrt(rng.uniform(0.25, 4, n))
    points = np.stack([0.1 * t * np.cos(t), 0.1 * t * np.sin(t)], axis=1)
    noise = rng.multivariate_normal(np.zeros(2), np.eye(2), n)
    return torch.tensor(points + 0.025 * noise, dtype=torch.float32)
    # END SOLUTION


def mlp(widths, last=None):
    layers = [nn.Linear(widths[0], widths[1]), nn.LeakyReLU(0.2),
              nn.Linear(widths[1], widths[2]), nn.Tanh(), nn.Linear(widths[2], widths[3])]
    return nn.Sequential(*layers, *([last] if last else []))


def vae_loss(x, x_hat, mu, log_sigma):
    """150 MSE(x_hat, x) (mean over batch and the 2 coordinates) plus the KL divergence of
    N(mu, sigma^2) from N(0, 1), sum(-log sigma - 1/2 + (sigma^2 + mu^2) / 2) over the latent
    coordinates, averaged over the batch."""
    # BEGIN SOLUTION: 150 MSE (||x - x_hat||^2 / (2 sigma^2) with sigma^2 = 1/150) plus KL
    reconstruction = 150 * ((x_hat - x) ** 2).mean()
    kl = (-log_sigma - 0.5 + (torch.exp(2 * log_sigma) + mu**2) / 2).sum(dim=1).mean()
    return reconstruction + kl
    # END SOLUTION


def discriminator_loss(d_real, d_fake):
    """mean(-log D(x) - log(1 - D(G(z)))) from the discriminator's outputs (in (0, 1))."""
    # BEGIN SOLUTION: the negated discriminator objective
    return (-torch.log(d_real) - torch.log(1 - d_fake)).mean()
    # END SOLUTION


def generator_loss(d_fake):
    """mean(log(1 - D(G(z')))): the saturating (minimax) generator loss."""
    # BEGIN SOLUTION: the generator minimises the discriminator's objective
    return torch.log(1 - d_fake).mean()
    # END SOLUTION


def kde_plot(ax, samples, title):
    """A filled Gaussian kernel density estimate on [-1.5, 1.5]^2 (numpy; no seaborn)."""
    grid = np.linspace(-1.5, 1.5, 120)
    gx, gy = np.meshgrid(grid, grid)
    h = 0.06
    s = samples.detach().numpy()
    density = np.zeros_like(gx)
    for start in range(0, len(s), 500):
        part = s[start:start + 500]
        d2 = (gx[..., None] - part[:, 0]) ** 2 + (gy[..., None] - part[:, 1]) ** 2
        density += np.exp(-d2 / (2 * h * h)).sum(-1)
    ax.contourf(gx, gy, density, levels=20, cmap="Greens")
    ax.set_title(title)
    ax.set_aspect("equal")


if __name__ == "__main__":
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    every = max(epochs // 5, 1)
    torch.manual_seed(0)
    data = make_swiss_roll(2000, np.random.RandomState(0))
    loader = DataLoader(TensorDataset(data), batch_size=64, shuffle=True)

    encoder, decoder = mlp((2, 128, 128, 2)), mlp((1, 64, 64, 2))
    optimizer = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=5e-4)
    fig, axes = plt.subplots(2, 6, figsize=(18, 6))
    kde_plot(axes[0, 0], data, "data")
    kde_plot(axes[1, 0], data, "data")
    for epoch in range(1, epochs + 1):
        for (x,) in loader:
            mu, log_sigma = encoder(x).chunk(2, dim=1)
            z = mu + log_sigma.exp() * torch.randn_like(mu)
            loss = vae_loss(x, decoder(z), mu, log_sigma)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if epoch % every == 0 and epoch // every <= 5:
            with torch.no_grad():
                kde_plot(axes[0, epoch // every], decoder(torch.randn(3000, 1)),
                         f"VAE, epoch {epoch}")

    D = mlp((2, 128, 128, 1), nn.Sigmoid())
    D[1] = nn.Tanh()  # the discriminator uses tanh in both hidden layers
    G = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 2))
    opt_d = torch.optim.Adam(D.parameters(), lr=5e-4)
    opt_g = torch.optim.Adam(G.parameters(), lr=5e-4)
    for epoch in range(1, epochs + 1):
        for (x,) in loader:
            d_loss = discriminator_loss(D(x), D(G(torch.randn(len(x), 1)).detach()))
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            g_loss = generator_loss(D(G(torch.randn(len(x), 1))))
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
        if epoch % every == 0 and epoch // every <= 5:
            with torch.no_grad():
                kde_plot(axes[1, epoch // every], G(torch.randn(3000, 1)),
                         f"GAN, epoch {epoch}")
    fig.tight_layout()
    plt.savefig("swiss_roll.png")
