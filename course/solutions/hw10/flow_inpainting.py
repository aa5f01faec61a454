"""HW10 P3: inpainting with a NICE flow by projected gradient descent on -log p.

NICE (Dinh et al. 2014), the course's model: four additive couplings (mask_config =
(1 + i) mod 2) with coupling MLPs 392 -> 1000 -> 4 x (1000 -> 1000) -> 392 and ReLU, a
diagonal scaling z = x e^s, and a standard logistic prior: log p(x) = sum_d log p(z_d) +
sum s (19,158,352 parameters; module names as in the course's nice.pt, which loads if given).
x in R^784 is viewed as 392 pairs (even index, odd index); mask_config = 1 shifts the even
half by m(odd half), mask_config = 0 the odd half by m(even half); the inverse subtracts.

Inpainting: the 7th MNIST test image (index 6); rows 5-11 and columns 5-19 unknown and set
to 1 (white); SGD on the image with lr 1e-3 for 300 iterations on -log p(x), the model
frozen; after every step the known pixels are reset and the unknown ones clamped to [0, 1].

Implement ``Coupling.forward`` and ``inpaint``. Self-check: ``mfdnn check hw10
flow_inpainting.py``. ``python flow_inpainting.py [nice.pt]``: without a checkpoint it trains
NICE for a few epochs first (the course's 100 epochs need a GPU; see ``mfdnn list``).
"""

import sys

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F


class Coupling(nn.Module):
    def __init__(self, in_out_dim=784, mid_dim=1000, hidden=5, mask_config=1):
        super().__init__()
        self.mask_config = mask_config
        self.in_block = nn.Sequential(nn.Linear(in_out_dim // 2, mid_dim), nn.ReLU())
        self.mid_block = nn.ModuleList(
            nn.Sequential(nn.Linear(mid_dim, mid_dim), nn.ReLU()) for _ in range(hidden - 1))
        self.out_block = nn.Linear(mid_dim, in_out_dim // 2)

    def m(self, x):
        x = self.in_block(x)
        for block in self.mid_block:
            x = block(x)
        return self.out_block(x)

    def forward(self, x, reverse=False):
        """Additive coupling on a batch B x D: view x as B x (D/2) x 2 pairs (even, odd);
        mask_config 1: even += m(odd); mask_config 0: odd += m(even); reverse subtracts."""
        # BEGIN SOLUTION: split into even and odd entries, shift one half by m(other half)
        B, D = x.shape
        pairs = x.reshape(B, D // 2, 2)
        even, odd = pairs[:, :, 0], pairs[:, :, 1]
        sign = -1 if reverse else 1
        if self.mask_config == 1:
            even = even + sign * self.m(odd)
        else:
            odd = odd + sign * self.m(even)
        return torch.stack((even, odd), dim=2).reshape(B, D)
        # END SOLUTION


class Scaling(nn.Module):
    def __init__(self, dim=784):
        super().__init__()
        self.scale = nn.Parameter(torch.zeros(1, dim))

    def forward(self, x, reverse=False):
        return x * torch.exp(-self.scale if reverse else self.scale), self.scale.sum()


class NICE(nn.Module):
    def __init__(self, in_out_dim=784, mid_dim=1000, hidden=5, coupling=4):
        super().__init__()
        self.in_out_dim = in_out_dim
        self.coupling = nn.ModuleList(
            Coupling(in_out_dim, mid_dim, hidden, mask_config=(1 + i) % 2)
            for i in range(coupling))
        self.scaling = Scaling(in_out_dim)

    def f(self, x):
        for layer in self.coupling:
            x = layer(x)
        return self.scaling(x)

    def f_inverse(self, z):
        x, _ = self.scaling(z, reverse=True)
        for layer in reversed(self.coupling):
            x = layer(x, reverse=True)
        return x

    def log_prob(self, x):
        """sum_d log p_logistic(z_d) + sum s; log p_logistic(z) = -softplus(z) - softplus(-z)."""
        z, log_det = self.f(x)
        return -(F.softplus(z) + F.softplus(-z)).sum(dim=1) + log_det

    def forward(self, x):
        return self.log_prob(x)

    def sample(self, n):
        u = torch.rand(n, self.in_out_dim)
        return self.f_inverse(torch.log(u) - torch.log(1 - u))


def inpaint(model, image, known, lr=1e-3, iterations=300):
    """Projected gradient descent on -log p. ``image`` is 1 x 784 with the unknown pixels
    already set to 1, ``known`` a boolean 1 x 784 mask. Each iteration: one SGD step (lr) on
    the image for the loss -model(x).sum(), then reset the known pixels to ``image`` and clamp
    the unknown ones to [0, 1]. Returns (the reconstruction, the list of losses before each
    step). The model's parameters must not change."""
    # BEGIN SOLUTION: freeze the model, optimise the image, project after every step
    model.requires_grad_(False)
    x = image.clone().requires_grad_(True)
    optimizer = torch.optim.SGD([x], lr=lr)
    losses = []
    for _ in range(iterations):
        optimizer.zero_grad()
        loss = -model(x).sum()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        with torch.no_grad():
            x.copy_(torch.where(known, image, x.clamp(0, 1)))
    return x.detach(), losses
    # END SOLUTION


if __name__ == "__main__":
    from torch.utils.data import DataLoader, TensorDataset

    from mfdnn import data

    torch.manual_seed(0)
    model = NICE()
    if len(sys.argv) > 1:
        model.load_state_dict(torch.load(sys.argv[1], map_location="cpu"))
    else:
        epochs = 2
        print(f"no nice.pt given: training NICE for {epochs} epochs (the course: 100)")
        train = data.load("mnist", "train").float01().reshape(-1, 784)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        for epoch in range(epochs):
            for (x,) in DataLoader(TensorDataset(train), batch_size=128, shuffle=True):
                x = x + torch.rand_like(x) / 256  # dequantisation
                optimizer.zero_grad()
                loss = -model(x).mean()
                loss.backward()
                optimizer.step()
            print(f"epoch {epoch + 1}: -log p = {loss.item():.1f} nats")
    model.eval()
    original = data.load("mnist", "test").float01()[6].reshape(1, 784)
    known = torch.ones(28, 28, dtype=torch.bool)
    known[5:12, 5:20] = False
    known = known.reshape(1, 784)
    corrupted = torch.where(known, original, torch.ones_like(original))
    result, losses = inpaint(model, corrupted, known)
    print(f"-log p: {losses[0]:.1f} -> {losses[-1]:.1f}")
    fig, axes = plt.subplots(1, 3)
    for ax, img, title in zip(axes, (original, corrupted, result),
                              ("original", "corrupted", "inpainted"), strict=True):
        ax.imshow(img.reshape(28, 28), cmap="gray")
        ax.set_title(title)
        ax.axis("off")
    plt.savefig("flow_inpainting.png")
