"""Chapter 4 experiments: the identities hold to rounding, and the training losses mean what
their docstrings say."""

import pytest
import torch

from mfdnn.experiments.ch4_dncnn import denoising_loss
from mfdnn.experiments.ch4_super_resolution import sr_loss
from mfdnn.experiments.core.runner import run_experiment
from mfdnn.imaging.degrade import degrade_for_sr
from mfdnn.models.dncnn import DnCNN
from mfdnn.models.superres import SRCNN

pytestmark = pytest.mark.hw8


def test_transposed_conv_identities_hold_to_rounding(tmp_path):
    m = run_experiment("ch4-transposed-conv", profile="quick", out=tmp_path, progress=False,
                       quiet=True, device="cpu").metrics
    assert m["max_abs_diff_adjoint"] < 1e-10
    assert m["max_abs_diff_written_out"] < 1e-10
    assert m["max_abs_diff_dense_transpose"] < 1e-12
    assert m["max_abs_diff_upsample"] == 0.0  # exact equality (HW8 P2)
    assert m["max_abs_diff_avgpool_adjoint"] < 1e-12
    assert m["max_abs_diff_adjoint_1d"] < 1e-12
    assert m["worked_examples_match"] is True
    assert m["num_adjoint_configs"] >= 9  # strides x paddings with a valid output


def test_denoising_loss_is_the_image_loss_of_y_minus_f():
    torch.manual_seed(0)
    model = DnCNN(4, 8).eval()
    x = torch.rand(4, 1, 16, 16)
    sigma = 0.1
    for kind, power in (("mse", 2), ("l1", 1)):
        torch.manual_seed(1)
        got = denoising_loss(kind, sigma)(model, x)
        torch.manual_seed(1)
        y = x + sigma * torch.randn_like(x)  # the same noise draw
        expected = (model(y) - x).abs().pow(power).mean()
        torch.testing.assert_close(got, expected)


def test_sr_loss_compares_the_network_on_the_degraded_input_with_the_sharp_image():
    torch.manual_seed(0)
    model = SRCNN(widths=(8, 4))
    x = torch.rand(2, 1, 12, 12)
    expected = (model(degrade_for_sr(x, 3, "avgpool")) - x).pow(2).mean()
    torch.testing.assert_close(sr_loss(3, "avgpool")(model, x), expected)


def test_super_resolution_runs_the_course_vdsr_optimizer_with_clipping(tmp_path):
    """The full profile's path: SGD with momentum and weight decay, StepLR, gradient clipping."""
    m = run_experiment(
        "ch4-super-resolution", profile="quick", out=tmp_path, progress=False, quiet=True,
        device="cpu", overrides=["vdsr_optimizer=sgd", "vdsr_lr=0.01", "vdsr_clip=0.4",
                                 "vdsr_schedule=step", "srcnn_epochs=1", "vdsr_epochs=1",
                                 "test_count=1", "patches_per_epoch=64"]).metrics
    assert m["train_steps_vdsr"] == 3  # 5 crops of each of 15 images, in batches of 32
    assert m["scale"] == 3


def test_dncnn_trains_under_the_runs_amp_flag(tmp_path, monkeypatch):
    """``mfdnn run ch4-dncnn --amp`` reaches the training loop: the config's ``amp=False``
    default must not override the command line (it once did, silently)."""
    from mfdnn.experiments.core import context
    from mfdnn.train import settings

    seen = []

    def spy(*args, **kwargs):
        seen.append(settings.current().amp)  # what fit will use
        return fit(*args, **kwargs)

    fit = context.fit
    monkeypatch.setattr(context, "fit", spy)
    overrides = ["epochs=1", "test_count=1", "patches_per_epoch=16", "baseline=wavelet"]
    run_experiment("ch4-dncnn", profile="quick", out=tmp_path, progress=False, quiet=True,
                   device="cpu", amp=True, overrides=overrides)
    run_experiment("ch4-dncnn", profile="quick", out=tmp_path / "off", progress=False,
                   quiet=True, device="cpu", overrides=overrides)
    run_experiment("ch4-dncnn", profile="quick", out=tmp_path / "cfg", progress=False,
                   quiet=True, device="cpu", overrides=overrides + ["amp=true"])
    assert seen == [True, False, True]
