"""HW7 P3: fold BatchNorm into the preceding convolution and linear layers.

In eval mode BN is the affine map x -> gamma (x - mu) / sqrt(var + eps) + beta per channel
(or feature), so a layer followed by BN is one layer with
    W' = W gamma / sqrt(var + eps)   (scaled per output channel or row)
    b' = (b - mu) gamma / sqrt(var + eps) + beta.
smallNetTest (no BN) filled this way equals smallNetTrain in eval mode; the check is
max over batches of ||model(x) - model_test(x)||^2 < 1e-8. The course's trained checkpoint
``smallNetSaved`` is not available: a network with random BN statistics shows the same
identity (pass a checkpoint path as the first argument to use one).

Implement ``fold``. Self-check: ``mfdnn check hw7 bn_remove.py``.
"""

import sys

import torch
import torch.nn as nn


class smallNetTrain(nn.Module):  # noqa: N801 (the course's name)
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.conv2 = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16),
                                   nn.ReLU())
        self.fc1 = nn.Sequential(nn.Linear(16 * 32 * 32, 1024), nn.BatchNorm1d(1024), nn.ReLU())
        self.fc2 = nn.Sequential(nn.Linear(1024, 10), nn.ReLU())

    def forward(self, x):
        x = self.conv2(self.conv1(x))
        return self.fc2(self.fc1(x.flatten(1)))


class smallNetTest(nn.Module):  # noqa: N801
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU())
        self.conv2 = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1), nn.ReLU())
        self.fc1 = nn.Sequential(nn.Linear(16 * 32 * 32, 1024), nn.ReLU())
        self.fc2 = nn.Sequential(nn.Linear(1024, 10), nn.ReLU())

    def forward(self, x):
        x = self.conv2(self.conv1(x))
        return self.fc2(self.fc1(x.flatten(1)))


def fold(layer, bn):
    """(weight, bias) of the single layer equal to bn(layer(x)) in eval mode; ``layer`` is a
    Conv2d or Linear, ``bn`` a BatchNorm2d or BatchNorm1d. Compute in float64."""
    # BEGIN SOLUTION: scale = gamma / sqrt(var + eps); W' = W * scale, b' = (b - mu) * scale + beta
    scale = bn.weight.double() / torch.sqrt(bn.running_var.double() + bn.eps)
    shape = (-1,) + (1,) * (layer.weight.dim() - 1)
    weight = layer.weight.double() * scale.reshape(shape)
    bias = (layer.bias.double() - bn.running_mean.double()) * scale + bn.bias.double()
    return weight, bias
    # END SOLUTION


def fill(test_net, train_net):
    with torch.no_grad():
        for name in ("conv1", "conv2", "fc1"):
            layer, bn = getattr(train_net, name)[0], getattr(train_net, name)[1]
            weight, bias = fold(layer, bn)
            getattr(test_net, name)[0].weight.copy_(weight)
            getattr(test_net, name)[0].bias.copy_(bias)
        test_net.fc2[0].load_state_dict(train_net.fc2[0].state_dict())


if __name__ == "__main__":
    torch.manual_seed(0)
    model = smallNetTrain()
    if len(sys.argv) > 1:
        model.load_state_dict(torch.load(sys.argv[1], map_location="cpu"))
    else:  # random BN statistics and affine parameters instead of the trained checkpoint
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, nn.BatchNorm1d | nn.BatchNorm2d):
                    m.running_mean.normal_(0, 0.5)
                    m.running_var.uniform_(0.5, 2)
                    m.weight.normal_(1, 0.2)
                    m.bias.normal_(0, 0.2)
    model.eval()
    model_test = smallNetTest()
    fill(model_test, model)
    model_test.eval()
    worst = 0.0
    with torch.no_grad():
        for _ in range(10):  # without CIFAR-10: random images in [0, 1]
            x = torch.rand(100, 3, 32, 32)
            worst = max(worst, (model(x) - model_test(x)).pow(2).sum().item())
    print(f"max squared difference over batches: {worst:.3g} "
          f"({'pass' if worst < 1e-8 else 'FAIL'}: threshold 1e-8)")
