"""DnCNN, SRCNN, VDSR, U-Net and FCN: parameter counts against the formulas, output shapes,
the residual forms, and a few steps that reduce the loss."""

import pytest
import torch
import torch.nn.functional as F

from mfdnn.models.dncnn import DnCNN, dncnn_param_count, orthogonal_init_
from mfdnn.models.superres import SRCNN, VDSR, srcnn_param_count, vdsr_param_count
from mfdnn.models.unet import FCN, UNet, fcn_param_count, unet_param_count

pytestmark = pytest.mark.hw8


def n_params(model):
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("bias, expected", [(False, 556_096), (True, 557_057)])
def test_dncnn_parameter_count_of_the_paper(bias, expected):
    assert n_params(DnCNN(17, 64, bias=bias)) == dncnn_param_count(17, 64, bias=bias) == expected


@pytest.mark.parametrize("depth, channels", [(3, 8), (5, 16), (10, 32)])
def test_dncnn_parameter_formula(depth, channels):
    for bias in (False, True):
        assert n_params(DnCNN(depth, channels, bias=bias)) == dncnn_param_count(
            depth, channels, bias=bias)


def test_dncnn_outputs_y_minus_the_predicted_noise():
    torch.manual_seed(0)
    model = DnCNN(5, 8).eval()
    y = torch.rand(2, 1, 20, 24)
    assert model(y).shape == y.shape
    torch.testing.assert_close(model(y), y - model.residual(y))
    # residual learning = an end-to-end skip: the image loss equals the noise loss
    x = torch.rand(2, 1, 20, 24)
    noise_loss = (model.residual(y) - (y - x)).pow(2).mean()
    image_loss = (model(y) - x).pow(2).mean()
    torch.testing.assert_close(noise_loss, image_loss)


def test_orthogonal_init_gives_orthonormal_rows():
    model = orthogonal_init_(DnCNN(4, 16))
    w = model.body[2].weight.flatten(1)  # 16 x 144: orthonormal rows
    torch.testing.assert_close(w @ w.T, torch.eye(16), atol=1e-5, rtol=0)
    assert model.body[0].bias.abs().max() == 0


def test_srcnn_and_vdsr_parameter_counts_of_the_papers():
    assert n_params(SRCNN()) == srcnn_param_count() == 57_281
    assert n_params(VDSR()) == vdsr_param_count() == 664_704
    assert n_params(VDSR(6, 16)) == vdsr_param_count(6, 16)


@pytest.mark.parametrize("model", [SRCNN(), VDSR(5, 8)])
def test_sr_networks_keep_the_image_size(model):
    y = torch.rand(2, 1, 33, 27)
    assert model(y).shape == y.shape


def test_vdsr_is_a_global_residual():
    model = VDSR(4, 8)
    for p in model.parameters():
        torch.nn.init.zeros_(p)
    y = torch.rand(1, 1, 12, 12)
    torch.testing.assert_close(model(y), y)  # f_theta = 0 gives X_hat = Y~


NOTEBOOK_WIDTHS = (24, 64, 128, 256, 512)


@pytest.mark.parametrize("widths", [NOTEBOOK_WIDTHS, (8, 16, 32)])
def test_unet_and_fcn_parameter_formulas(widths):
    assert n_params(UNet(3, 21, widths)) == unet_param_count(3, 21, widths)
    assert n_params(FCN(3, 21, widths)) == fcn_param_count(3, 21, widths)
    assert n_params(UNet(1, 11, widths)) == unet_param_count(1, 11, widths)


@pytest.mark.parametrize("cls", [UNet, FCN])
def test_segmenters_give_a_score_per_class_and_pixel(cls):
    model = cls(1, 11, (4, 8, 16)).eval()
    x = torch.rand(2, 1, 32, 40)
    assert model(x).shape == (2, 11, 32, 40)
    with pytest.raises(ValueError, match="divisible"):
        model(torch.rand(1, 1, 30, 32))


def test_notebook_unet_on_a_voc_sized_input():
    model = UNet(3, 21, NOTEBOOK_WIDTHS).eval()
    with torch.no_grad():
        assert model(torch.rand(1, 3, 64, 64)).shape == (1, 21, 64, 64)


@pytest.mark.parametrize("make, loss", [
    (lambda: DnCNN(4, 8), lambda m, x: (m(x + 0.1 * torch.randn_like(x)) - x).pow(2).mean()),
    (lambda: SRCNN(widths=(16, 8)), lambda m, x: (m(F.avg_pool2d(x, 1)) - x).pow(2).mean()),
    (lambda: VDSR(4, 8), lambda m, x: (m(x.roll(1, -1)) - x).pow(2).mean()),
])
def test_a_few_adam_steps_reduce_the_loss(make, loss):
    torch.manual_seed(0)
    model = make()
    x = torch.rand(8, 1, 16, 16)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    torch.manual_seed(1)
    first = loss(model, x).item()
    for _ in range(30):
        opt.zero_grad()
        loss(model, x).backward()
        opt.step()
    torch.manual_seed(1)
    assert loss(model, x).item() < first


def test_a_few_steps_reduce_the_segmentation_loss():
    torch.manual_seed(0)
    model = UNet(1, 3, (4, 8))
    x = torch.rand(4, 1, 16, 16)
    mask = (x[:, 0] > 0.5).long() + (x[:, 0] > 0.8).long()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    first = F.cross_entropy(model(x), mask).item()
    for _ in range(20):
        opt.zero_grad()
        F.cross_entropy(model(x), mask).backward()
        opt.step()
    assert F.cross_entropy(model(x), mask).item() < first
