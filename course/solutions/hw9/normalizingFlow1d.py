"""HW9 P2: a 1-D normalizing flow to a Gaussian.

    z = f(x) = sum_{i=1}^{5} e^{w_i} (Phi(x; mu_i, e^{tau_i}) - 1/2),
    dz/dx = sum_i e^{w_i} phi(x; mu_i, e^{tau_i}),
    log p(x) = log N(f(x); 0, 1) + log f'(x).

Initialisation: mu = randn(5), tau = 0, w = 1. Data: the starter's mixture(num) sampler, a
1:1:2 mixture of N(-1, 0.25^2), N(0.2, 0.25^2), N(1.5, 0.25^2) returning num + num // 3
points. Adam lr 5e-2, batch 128 shuffled, 50 epochs, mean negative log-likelihood.
Sampling inverts f by 30 bisection steps on [-3, 3].

Implement ``Flow1d.forward``, ``log_likelihood`` and ``inverse``.
Self-check: ``mfdnn check hw9 normalizingFlow1d.py``.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def mixture(num, rng):
    n = num // 3
    return np.concatenate([rng.normal(-1, 0.25, n), rng.normal(0.2, 0.25, n),
                           rng.normal(1.5, 0.25, num - n)])


class Flow1d(nn.Module):
    def __init__(self, n_components=5):
        super().__init__()
        self.mu = nn.Parameter(torch.randn(n_components))
        self.tau = nn.Parameter(torch.zeros(n_components))  # sigma_i = e^{tau_i}
        self.w = nn.Parameter(torch.ones(n_components))  # weights e^{w_i}

    def forward(self, x):
        """(z, dz/dx) for a 1-D tensor x: z = sum_i e^{w_i} (Phi((x - mu_i) / sigma_i) - 1/2)."""
        # BEGIN SOLUTION: Gaussian CDFs and densities of every component, weighted by e^w
        normal = torch.distributions.Normal(self.mu, self.tau.exp())
        x = x.reshape(-1, 1)
        z = (self.w.exp() * (normal.cdf(x) - 0.5)).sum(dim=1)
        dz = (self.w.exp() * normal.log_prob(x).exp()).sum(dim=1)
        return z, dz
        # END SOLUTION


def log_likelihood(flow, x):
    """log p(x) = log N(z; 0, 1) + log dz/dx, with (z, dz/dx) = flow(x)."""
    # BEGIN SOLUTION: change of variables
    z, dz = flow(x)
    return -0.5 * z**2 - 0.5 * math.log(2 * math.pi) + torch.log(dz)
    # END SOLUTION


def inverse(flow, z, low=-3.0, high=3.0, steps=30):
    """x with flow(x)[0] = z for every entry of z, by ``steps`` bisection steps on
    [low, high] (f is increasing); returns the midpoints of the final intervals."""
    # BEGIN SOLUTION: keep the half of the interval where f - z changes sign
    lo, hi = torch.full_like(z, low), torch.full_like(z, high)
    with torch.no_grad():
        for _ in range(steps):
            mid = (lo + hi) / 2
            below = flow(mid)[0] < z
            lo, hi = torch.where(below, mid, lo), torch.where(below, hi, mid)
    return (lo + hi) / 2
    # END SOLUTION


if __name__ == "__main__":
    rng = np.random.RandomState(0)
    torch.manual_seed(0)
    train = torch.tensor(mixture(5000, rng), dtype=torch.float32)
    test = torch.tensor(mixture(1000, rng), dtype=torch.float32)
    flow = Flow1d()
    optimizer = torch.optim.Adam(flow.parameters(), lr=5e-2)
    loader = DataLoader(TensorDataset(train), batch_size=128, shuffle=True)
    train_losses, test_losses = [], []
    for _ in range(50):
        for (x,) in loader:
            optimizer.zero_grad()
            loss = -log_likelihood(flow, x).mean()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            train_losses.append(-log_likelihood(flow, train).mean().item())
            test_losses.append(-log_likelihood(flow, test).mean().item())
    print(f"final train / test loss: {train_losses[-1]:.4f} / {test_losses[-1]:.4f}")

    grid = torch.linspace(-3, 3, 1000)
    with torch.no_grad():
        density = log_likelihood(flow, grid).exp()
        z_train = flow(train)[0]
        samples = inverse(flow, torch.randn(5000))
    fig, axes = plt.subplots(2, 3, figsize=(12, 6))
    axes[0, 0].hist(train.numpy(), bins=50, density=True, alpha=0.5, label="train")
    axes[0, 0].hist(test.numpy(), bins=50, density=True, alpha=0.5, label="test")
    axes[0, 0].legend()
    axes[0, 1].plot(train_losses, label="train")
    axes[0, 1].plot(test_losses, label="test")
    axes[0, 1].legend()
    axes[0, 2].plot(grid, density)
    axes[0, 2].set_title("learned density")
    axes[1, 0].plot(grid, flow(grid)[0].detach())
    axes[1, 0].set_title("x -> z")
    axes[1, 1].hist(z_train.numpy(), bins=50, density=True)
    axes[1, 1].set_title("z of the training data")
    axes[1, 2].hist(samples.numpy(), bins=50, density=True)
    axes[1, 2].set_title("samples f^{-1}(z)")
    fig.tight_layout()
    plt.savefig("normalizingFlow1d.png")
