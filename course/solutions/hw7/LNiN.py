"""HW7 P5: fully connected layers as convolutions (the network-in-network view).

Net1 is a conv feature extractor (32 -> 18 pixels) with a fully connected classifier; Net2
has the same features and the classifier as convolutions Conv2d(256, 4096, 18), Conv2d(4096,
4096, 1), Conv2d(4096, 10, 1). After copying Net1's weights into Net2 (each linear weight
reshaped to the conv weight's shape), Net2 equals Net1 on 32 x 32 images, and on larger
images it is Net1 slid over every 32 x 32 window. ``width`` shrinks the 4096 hidden units
for a light test copy (the full Net1 has 358,824,266 parameters, 1.44 GB).

Implement ``Net2.copy_weights_from``. Self-check: ``mfdnn check hw7 LNiN.py``.
"""

import torch
import torch.nn as nn


def features():
    return nn.Sequential(
        nn.Conv2d(3, 64, 7), nn.ReLU(), nn.Conv2d(64, 192, 3), nn.ReLU(),
        nn.Conv2d(192, 384, 3), nn.ReLU(), nn.Conv2d(384, 256, 3), nn.ReLU(),
        nn.Conv2d(256, 256, 3))


class Net1(nn.Module):
    def __init__(self, width=4096):
        super().__init__()
        self.features = features()
        self.classifier = nn.Sequential(
            nn.Linear(256 * 18 * 18, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
            nn.Linear(width, 10))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


class Net2(nn.Module):
    def __init__(self, width=4096):
        super().__init__()
        self.features = features()
        self.classifier = nn.Sequential(
            nn.Conv2d(256, width, 18), nn.ReLU(), nn.Conv2d(width, width, 1), nn.ReLU(),
            nn.Conv2d(width, 10, 1))

    def forward(self, x):
        return self.classifier(self.features(x))

    def copy_weights_from(self, net1):
        """Copy the features as they are; reshape each linear weight to the shape of the
        corresponding conv weight; copy the biases."""
        # BEGIN SOLUTION: features unchanged, linear weights reshaped into conv weights
        with torch.no_grad():
            self.features.load_state_dict(net1.features.state_dict())
            linears = [m for m in net1.classifier if isinstance(m, nn.Linear)]
            convs = [m for m in self.classifier if isinstance(m, nn.Conv2d)]
            for linear, conv in zip(linears, convs, strict=True):
                conv.weight.copy_(linear.weight.reshape(conv.weight.shape))
                conv.bias.copy_(linear.bias)
        # END SOLUTION


if __name__ == "__main__":
    torch.manual_seed(0)
    width = 256  # use 4096 for the course's network (about 3 GB of memory in all)
    net1, net2 = Net1(width), Net2(width)
    net2.copy_weights_from(net1)
    x = torch.rand(10, 3, 32, 32)  # without CIFAR-10: random images in [0, 1]
    with torch.no_grad():
        print("(a) mean squared difference:",
              (net1(x) - net2(x).squeeze()).pow(2).mean().item())
        big = torch.nn.functional.interpolate(x[:2], size=(36, 38), mode="bilinear")
        out = net2(big)  # 2 x 10 x 5 x 7
        worst = max((net1(big[:, :, i:i + 32, j:j + 32]) - out[:, :, i, j]).abs().max().item()
                    for i in range(5) for j in range(7))
    print("(b) largest sliding-window difference:", worst)
