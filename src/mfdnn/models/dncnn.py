"""DnCNN (Zhang et al. 2017): a plain deep CNN that learns the noise, not the image.

For a noisy image Y = X + eps, the network f_theta predicts the residual eps and the
denoiser outputs

    X_hat = Y - f_theta(Y)                      (residual learning)

so the loss ||f_theta(Y) - (Y - X)||^2 on the noise is the loss ||(Y - f_theta(Y)) - X||^2 on
the image: a network with one end-to-end skip connection (Chapter 4, result 5).

Architecture (depth D, C channels, all convolutions 3 x 3 with padding 1):
conv(1 -> C) + ReLU, (D - 2) x [conv(C -> C) + BN + ReLU], conv(C -> 1).
Parameters: 9C + C + (D-2)(9C^2 + 2C) + 9C (+ (D-2)C + 1 with a bias in every conv);
557,057 with biases everywhere and 556,096 bias-free, for D = 17 and C = 64.
"""

from __future__ import annotations

from torch import Tensor, nn


def dncnn_param_count(depth: int = 17, channels: int = 64, image_channels: int = 1,
                      bias: bool = False) -> int:
    """Trainable parameters of :class:`DnCNN` (BatchNorm's weight and bias included)."""
    first = 9 * image_channels * channels + channels
    middle = (depth - 2) * (9 * channels * channels + 2 * channels + (channels if bias else 0))
    last = 9 * channels * image_channels + (image_channels if bias else 0)
    return first + middle + last


class DnCNN(nn.Module):
    """``forward(Y)`` returns the denoised image ``Y - f_theta(Y)``; ``residual(Y)`` is f_theta(Y).

    ``bias=False`` (default) leaves out the biases that a BatchNorm or the output would make
    redundant or shift (the BN-followed convs and the last conv), as the reference code does.
    """

    def __init__(self, depth: int = 17, channels: int = 64, image_channels: int = 1,
                 bias: bool = False) -> None:
        super().__init__()
        if depth < 2:
            raise ValueError("DnCNN needs depth >= 2")
        layers: list[nn.Module] = [nn.Conv2d(image_channels, channels, 3, padding=1),
                                   nn.ReLU(inplace=True)]
        for _ in range(depth - 2):
            layers += [nn.Conv2d(channels, channels, 3, padding=1, bias=bias),
                       nn.BatchNorm2d(channels), nn.ReLU(inplace=True)]
        layers.append(nn.Conv2d(channels, image_channels, 3, padding=1, bias=bias))
        self.body = nn.Sequential(*layers)

    def residual(self, y: Tensor) -> Tensor:
        """f_theta(Y): the predicted noise."""
        return self.body(y)

    def forward(self, y: Tensor) -> Tensor:
        return y - self.body(y)  # X_hat = Y - f_theta(Y)


def orthogonal_init_(model: nn.Module) -> nn.Module:
    """The course demo's initialisation: orthogonal conv weights, zero biases, BN at (1, 0)."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.orthogonal_(module.weight)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
    return model
