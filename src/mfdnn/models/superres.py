"""Super-resolution networks that refine a bicubic-upsampled image Y~ towards the sharp X.

SRCNN (Dong et al. 2015), the 9-5-5 notebook model: patch extraction conv 9 x 9 (1 -> 64),
ReLU, non-linear mapping conv 5 x 5 (64 -> 32), ReLU, reconstruction conv 5 x 5 (32 -> 1).
It predicts the image itself: X_hat = f_theta(Y~) (``residual=True``: X_hat = Y~ +
f_theta(Y~), VDSR's global residual, which short trainings need to beat Y~). Parameters
81*64 + 64 + 25*64*32 + 32 + 25*32 + 1 = 57,281.

VDSR (Kim et al. 2016): D = 20 convs 3 x 3 with C = 64 channels and ReLUs between, no
biases, and a **global residual**: X_hat = Y~ + f_theta(Y~), so the network learns only the
missing high frequencies. Parameters 9C + (D-2) 9C^2 + 9C = 664,704.

Both keep the image size (zero padding), so X_hat and Y~ have the shape of X.
"""

from __future__ import annotations

from torch import Tensor, nn


def srcnn_param_count(kernels: tuple[int, int, int] = (9, 5, 5),
                      widths: tuple[int, int] = (64, 32), image_channels: int = 1) -> int:
    (f1, f2, f3), (n1, n2) = kernels, widths
    return (f1 * f1 * image_channels * n1 + n1) + (f2 * f2 * n1 * n2 + n2) + (
        f3 * f3 * n2 * image_channels + image_channels)


def vdsr_param_count(depth: int = 20, channels: int = 64, image_channels: int = 1) -> int:
    return 9 * image_channels * channels * 2 + (depth - 2) * 9 * channels * channels


class SRCNN(nn.Module):
    """``forward(Y~)`` returns X_hat = f_theta(Y~) for a bicubic-upsampled input Y~ (or
    Y~ + f_theta(Y~) with ``residual``)."""

    def __init__(self, kernels: tuple[int, int, int] = (9, 5, 5),
                 widths: tuple[int, int] = (64, 32), image_channels: int = 1,
                 residual: bool = False) -> None:
        super().__init__()
        self.residual = residual
        (f1, f2, f3), (n1, n2) = kernels, widths
        self.body = nn.Sequential(
            nn.Conv2d(image_channels, n1, f1, padding=f1 // 2), nn.ReLU(inplace=True),
            nn.Conv2d(n1, n2, f2, padding=f2 // 2), nn.ReLU(inplace=True),
            nn.Conv2d(n2, image_channels, f3, padding=f3 // 2),
        )

    def forward(self, y: Tensor) -> Tensor:
        return y + self.body(y) if self.residual else self.body(y)


class VDSR(nn.Module):
    """``forward(Y~)`` returns X_hat = Y~ + f_theta(Y~) (global residual learning)."""

    def __init__(self, depth: int = 20, channels: int = 64, image_channels: int = 1) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv2d(image_channels, channels, 3, padding=1, bias=False),
                                   nn.ReLU(inplace=True)]
        for _ in range(depth - 2):
            layers += [nn.Conv2d(channels, channels, 3, padding=1, bias=False),
                       nn.ReLU(inplace=True)]
        layers.append(nn.Conv2d(channels, image_channels, 3, padding=1, bias=False))
        self.body = nn.Sequential(*layers)
        for module in self.body:  # He initialisation, as in the paper
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")

    def forward(self, y: Tensor) -> Tensor:
        return y + self.body(y)  # X_hat = Y~ + f_theta(Y~)
