"""HW7 P3 (``bn_remove.py``): ``smallNetTrain`` with BatchNorm, and ``smallNetTest`` without.

    conv1  Conv2d(3, 16, 3, p1), BatchNorm2d(16), ReLU
    conv2  Conv2d(16, 16, 3, p1), BatchNorm2d(16), ReLU
           flatten 16 * 32 * 32 = 16384
    fc1    Linear(16384, 1024), BatchNorm1d(1024), ReLU
    fc2    Linear(1024, 10), ReLU   (sic: the homework's network ends with a ReLU)

16,793,370 parameters. The module names (``conv1.0``, ``conv1.1``, ..., ``fc2.0``) are the
homework's, so its saved state dict loads. :func:`fold_into` fills ``SmallNetTest`` (the same
network without the BatchNorm layers) so that it equals ``SmallNetTrain`` in eval mode.
"""

from __future__ import annotations

from torch import Tensor, nn

from mfdnn.analysis.bn_fold import copy_folded


class SmallNetTrain(nn.Module):
    def __init__(self, in_channels: int = 3, image_size: int = 32, num_classes: int = 10,
                 width: int = 16, hidden: int = 1024) -> None:
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(in_channels, width, 3, padding=1),
                                   nn.BatchNorm2d(width), nn.ReLU())
        self.conv2 = nn.Sequential(nn.Conv2d(width, width, 3, padding=1),
                                   nn.BatchNorm2d(width), nn.ReLU())
        self.fc1 = nn.Sequential(nn.Linear(width * image_size**2, hidden),
                                 nn.BatchNorm1d(hidden), nn.ReLU())
        self.fc2 = nn.Sequential(nn.Linear(hidden, num_classes), nn.ReLU())

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(self.fc1(self.conv2(self.conv1(x)).flatten(1)))


class SmallNetTest(nn.Module):
    def __init__(self, in_channels: int = 3, image_size: int = 32, num_classes: int = 10,
                 width: int = 16, hidden: int = 1024) -> None:
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(in_channels, width, 3, padding=1), nn.ReLU())
        self.conv2 = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU())
        self.fc1 = nn.Sequential(nn.Linear(width * image_size**2, hidden), nn.ReLU())
        self.fc2 = nn.Sequential(nn.Linear(hidden, num_classes), nn.ReLU())

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(self.fc1(self.conv2(self.conv1(x)).flatten(1)))


def fold_into(test: SmallNetTest, train: SmallNetTrain) -> SmallNetTest:
    """Fill the eight weight / bias tensors of ``test`` from ``train`` (its BN in eval mode):
    conv1, conv2 and fc1 folded with their BatchNorm, fc2 copied unchanged."""
    for name in ("conv1", "conv2", "fc1"):
        block = getattr(train, name)
        copy_folded(getattr(test, name)[0], block[0], block[1])
    test.fc2[0].load_state_dict(train.fc2[0].state_dict())
    return test
