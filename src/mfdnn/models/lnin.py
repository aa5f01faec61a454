"""HW7 P5 (``LNiN.py``): fully connected layers as convolutions.

``Net1``: features Conv(3,64,7), ReLU, Conv(64,192,3), ReLU, Conv(192,384,3), ReLU,
Conv(384,256,3), ReLU, Conv(256,256,3) (stride 1, no padding: 32 -> 26 -> 24 -> 22 -> 20 -> 18),
then flatten, Linear(256*18*18, 4096), ReLU, Linear(4096, 4096), ReLU, Linear(4096, 10):
358,824,266 parameters (1.44 GB in float32).

``Net2``: the same features, then Conv2d(256, 4096, 18), ReLU, Conv2d(4096, 4096, 1), ReLU,
Conv2d(4096, 10, 1). :meth:`Net2.copy_weights_from` reshapes each linear weight into the
conv's shape (``mfdnn.analysis.fc_conv``). On a 32 x 32 image both compute the same 10
numbers; on a larger image Net2 slides Net1 over every 32 x 32 window.

``width`` divides every channel count and hidden size (``width=8``: a copy with the same
structure and 1/64 of the parameters, for tests and quick runs).
"""

from __future__ import annotations

from torch import Tensor, nn

from mfdnn.analysis.fc_conv import copy_linear_into_conv


def _features(w: int) -> nn.Sequential:
    c = [64 // w, 192 // w, 384 // w, 256 // w, 256 // w]
    return nn.Sequential(
        nn.Conv2d(3, c[0], 7), nn.ReLU(),
        nn.Conv2d(c[0], c[1], 3), nn.ReLU(),
        nn.Conv2d(c[1], c[2], 3), nn.ReLU(),
        nn.Conv2d(c[2], c[3], 3), nn.ReLU(),
        nn.Conv2d(c[3], c[4], 3),
    )


class Net1(nn.Module):
    def __init__(self, width: int = 1, num_classes: int = 10) -> None:
        super().__init__()
        self.width = width
        hidden, channels = 4096 // width, 256 // width
        self.features = _features(width)
        self.classifier = nn.Sequential(
            nn.Linear(channels * 18 * 18, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x).flatten(1))


class Net2(nn.Module):
    def __init__(self, width: int = 1, num_classes: int = 10) -> None:
        super().__init__()
        hidden, channels = 4096 // width, 256 // width
        self.features = _features(width)
        self.classifier = nn.Sequential(
            nn.Conv2d(channels, hidden, 18), nn.ReLU(),
            nn.Conv2d(hidden, hidden, 1), nn.ReLU(),
            nn.Conv2d(hidden, num_classes, 1),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))

    def copy_weights_from(self, net1: Net1) -> Net2:
        """Features as they are; each linear layer reshaped into its convolution."""
        self.features.load_state_dict(net1.features.state_dict())
        for i in (0, 2, 4):
            copy_linear_into_conv(self.classifier[i], net1.classifier[i])
        return self
