"""A DCGAN (Radford et al. 2016) sized for 28 x 28 images.

    generator      z (latent_dim) -> Linear -> 2w x 7 x 7 -> BN, ReLU
                   -> ConvTranspose(4, stride 2) -> w x 14 x 14 -> BN, ReLU
                   -> ConvTranspose(4, stride 2) -> 1 x 28 x 28 -> tanh      (pixels in [-1, 1])
    discriminator  1 x 28 x 28 -> Conv(4, stride 2) -> w x 14 x 14 -> LeakyReLU(0.2)
                   -> Conv(4, stride 2) -> 2w x 7 x 7 -> BN, LeakyReLU(0.2) -> Linear -> logit

The DCGAN rules: strided (transposed) convolutions instead of pooling, BN in both networks
(not on the generator's output or the discriminator's input), ReLU in the generator,
LeakyReLU in the discriminator, weights initialised from N(0, 0.02^2).
"""

from __future__ import annotations

from torch import Tensor, nn


def dcgan_init(module: nn.Module) -> None:
    """N(0, 0.02^2) weights for (transposed) convolutions and linear layers; BN weight N(1, .02)."""
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d | nn.BatchNorm1d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class DCGANGenerator(nn.Module):
    def __init__(self, latent_dim: int = 100, width: int = 64):
        super().__init__()
        self.width = width
        self.project = nn.Sequential(nn.Linear(latent_dim, 2 * width * 49, bias=False),
                                     nn.BatchNorm1d(2 * width * 49), nn.ReLU())
        self.net = nn.Sequential(
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())
        self.apply(dcgan_init)

    def forward(self, z: Tensor) -> Tensor:
        return self.net(self.project(z).view(len(z), 2 * self.width, 7, 7))


class DCGANDiscriminator(nn.Module):
    def __init__(self, width: int = 64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width),
            nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(2 * width * 49, 1))
        self.apply(dcgan_init)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x).squeeze(1)
