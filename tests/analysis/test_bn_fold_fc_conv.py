"""BatchNorm folding and fully-connected-as-convolution are exact (HW7 P3, P5)."""

import pytest
import torch
from torch import nn

from mfdnn.analysis import fold_batchnorm, linear_to_conv
from mfdnn.models.lnin import Net1, Net2
from mfdnn.models.smallnet import SmallNetTest, SmallNetTrain, fold_into
from mfdnn.train.augment import resize_bilinear

pytestmark = pytest.mark.hw7


def randomise_bn(bn, generator):
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(bn.num_features, generator=generator))
        bn.running_var.copy_(torch.rand(bn.num_features, generator=generator) + 0.1)
        bn.weight.copy_(torch.randn(bn.num_features, generator=generator))
        bn.bias.copy_(torch.randn(bn.num_features, generator=generator))
    return bn.eval()


@pytest.mark.parametrize("bias", [True, False])
def test_conv_bn_folds_exactly(bias):
    g = torch.Generator().manual_seed(0)
    conv = nn.Conv2d(3, 5, 3, padding=1, bias=bias).double()
    bn = randomise_bn(nn.BatchNorm2d(5).double(), g)
    x = torch.randn(4, 3, 6, 6, dtype=torch.float64, generator=g)
    folded = fold_batchnorm(conv, bn)
    torch.testing.assert_close(folded(x), bn(conv(x)), rtol=1e-12, atol=1e-12)


def test_linear_bn_folds_exactly():
    g = torch.Generator().manual_seed(1)
    linear = nn.Linear(7, 4).double()
    bn = randomise_bn(nn.BatchNorm1d(4).double(), g)
    x = torch.randn(5, 7, dtype=torch.float64, generator=g)
    torch.testing.assert_close(fold_batchnorm(linear, bn)(x), bn(linear(x)), rtol=1e-12,
                               atol=1e-12)


def test_smallnet_passes_the_homework_threshold():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    net = SmallNetTrain(width=4, hidden=32)
    for m in net.modules():
        if isinstance(m, nn.BatchNorm1d | nn.BatchNorm2d):
            randomise_bn(m, g)
    net.eval()
    folded = fold_into(SmallNetTest(width=4, hidden=32), net).eval()
    x = torch.rand(100, 3, 32, 32, generator=g)
    assert (net(x) - folded(x)).pow(2).sum().item() < 1e-8
    assert sum(p.numel() for p in SmallNetTrain().parameters()) == 16_793_370


def test_linear_is_a_convolution_with_the_map_as_kernel():
    g = torch.Generator().manual_seed(2)
    linear = nn.Linear(3 * 4 * 5, 6).double()
    conv = linear_to_conv(linear, (3, 4, 5))
    x = torch.randn(2, 3, 4, 5, dtype=torch.float64, generator=g)
    torch.testing.assert_close(conv(x).flatten(1), linear(x.flatten(1)), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError):
        linear_to_conv(linear, (3, 4, 4))


def test_net2_slides_net1_over_every_window():
    torch.manual_seed(0)
    net1 = Net1(width=16).double().eval()
    net2 = Net2(width=16).double().copy_weights_from(net1).eval()
    x = torch.rand(2, 3, 32, 32, dtype=torch.float64)
    torch.testing.assert_close(net2(x).squeeze((2, 3)), net1(x), rtol=1e-10, atol=1e-12)
    big = resize_bilinear(x, (34, 35))
    slid = net2(big)
    assert slid.shape == (2, 10, 3, 4)
    for i in range(3):
        for j in range(4):
            torch.testing.assert_close(slid[:, :, i, j], net1(big[:, :, i:i + 32, j:j + 32]),
                                       rtol=1e-10, atol=1e-12)


def test_net1_has_the_homeworks_parameter_count():
    with torch.device("meta"):
        assert sum(p.numel() for p in Net1().parameters()) == 358_824_266
