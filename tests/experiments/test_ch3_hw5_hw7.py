"""Chapter 3 and HW5-HW7 experiments: their numbers against hand counts and the course."""

import numpy as np
import pytest
import torch

from mfdnn.data.synthetic.double_descent import linear_teacher
from mfdnn.errors import ConfigError
from mfdnn.experiments import (
    ch3_initialization,
    ch3_model_zoo,
    ch3_regularization,
    ch3_train,
    hw5_inception_cost,
    hw5_label_memorization,
    hw5_receptive_fields,
    hw6_double_descent,
    hw6_stm_conv,
    hw7_counting_params,
    hw7_lnin,
)
from mfdnn.experiments.core.context import RunContext
from mfdnn.models import zoo
from mfdnn.models.random_features import ridge

pytestmark = [pytest.mark.hw5, pytest.mark.hw6, pytest.mark.hw7]


def ctx(tmp_path, name="test"):
    return RunContext(name, "full", 0, torch.device("cpu"), tmp_path)


def test_model_zoo_counts_are_the_published_ones(tmp_path):
    metrics = ch3_model_zoo.run(ch3_model_zoo.Config(), ctx(tmp_path))
    for name in ch3_model_zoo.MODELS:
        published = zoo.PUBLISHED[(name, "imagenet", 3, 1000)] if name != "googlenet" else None
        if published:
            assert metrics[f"params_{name}"] == published[0]
    assert metrics["params_googlenet_torchvision"] == 6_624_904
    assert metrics["macs_vgg16"] == 15_470_264_320
    assert metrics["macs_resnet50_v1"] < metrics["macs_resnet50"]


def test_counting_params_per_layer(tmp_path):
    m = hw7_counting_params.run(hw7_counting_params.Config(), ctx(tmp_path))
    convs = [(3, 64, 11, 55), (64, 192, 5, 27), (192, 384, 3, 13), (384, 256, 3, 13),
             (256, 256, 3, 13)]
    hand = [h * h * co * ci * k * k for ci, co, k, h in convs] + [9216 * 4096, 4096**2, 4096000]
    assert m["macs_per_layer"] == hand
    assert m["macs_conv"] == sum(hand[:5]) and m["macs_linear"] == sum(hand[5:])
    assert m["params_conv"] + m["params_linear"] == 61_100_840
    assert m["param_share_linear"] > 0.95 and m["mac_share_conv"] > 0.9


def test_inception_and_stm_counts(tmp_path):
    m = hw5_inception_cost.run(hw5_inception_cost.Config(), ctx(tmp_path))
    assert m["hooks_agree"]
    assert (m["params_naive"], m["params_bottleneck"]) == (1_089_952, 346_720)
    assert (m["mults_naive"], m["mults_bottleneck"]) == (1_115_684_864, 354_418_688)
    assert (m["activations_naive"], m["activations_bottleneck"]) == (425_984, 622_592)
    s = hw6_stm_conv.run(hw6_stm_conv.Config(batch=1, size=4), ctx(tmp_path))
    assert (s["params_bottleneck"], s["params_stm"]) == (213_504, 78_592)
    assert s["hand_counts_agree"] and s["shape_preserved"]
    assert s["max_abs_diff_grouped"] < 1e-4 and s["max_abs_diff_concat"] < 1e-4


def test_receptive_fields_of_vgg16(tmp_path):
    m = hw5_receptive_fields.run(hw5_receptive_fields.Config(image_size=40), ctx(tmp_path))
    assert (m["rf_y1"], m["rf_y2"], m["rf_y3"]) == (5, 6, 16)
    assert m["autograd_agrees"] and m["all_channels"]
    assert m["window_y3_corner"] == [0, 9, 0, 9]  # clipped at the border


def test_fc_as_conv(tmp_path):
    m = hw7_lnin.run(hw7_lnin.Config(width=16, images=2), ctx(tmp_path))
    assert m["output_shape"] == [2, 10, 5, 7]
    assert m["mse_same_size"] < 1e-12 and m["mse_sliding"] < 1e-12


def test_initialization_vanishes_explodes_or_stays(tmp_path):
    cfg = ch3_initialization.Config(depth=8, width=128, batch=128)
    m = ch3_initialization.run(cfg, ctx(tmp_path))
    he, small, large = (m[f"activation_std_{s}"] for s in ("he", "too_small", "too_large"))
    assert 0.3 < he[-1] / he[0] < 3
    assert small[-1] < 1e-6 * small[0] and large[-1] > 1e6 * large[0]


def starter_teacher(seed=0):
    """HW6 P5's data, written as the starter does with the global legacy generator."""
    np.random.seed(seed)
    beta = np.random.randn(35)
    beta = beta / np.linalg.norm(beta)
    X = np.array([np.random.multivariate_normal(np.zeros(35), np.eye(35)) for _ in range(300)])
    Y = X @ beta + np.random.normal(0, 0.5, 300)
    X_val = np.array([np.random.multivariate_normal(np.zeros(35), np.eye(35)) for _ in range(60)])
    return beta, X, Y, X_val


def test_double_descent_data_follow_the_starters_draws():
    ours = linear_teacher(np.random.RandomState(0))
    beta, X, Y, X_val = starter_teacher()
    np.testing.assert_array_equal(ours.beta, beta)
    np.testing.assert_array_equal(ours.X_train, X)
    np.testing.assert_array_equal(ours.Y_train, Y)
    np.testing.assert_array_equal(ours.X_val, X_val)
    np.testing.assert_allclose(ours.Y_val, X_val @ beta)


def test_ridge_solves_the_normal_equations():
    g = np.random.RandomState(1)
    F, Y = g.randn(30, 50), g.randn(30)
    theta = ridge(F, Y, 0.1)
    np.testing.assert_allclose(F.T @ F @ theta + 0.1 * theta, F.T @ Y, atol=1e-10)


def test_double_descent_peaks_near_the_interpolation_threshold(tmp_path):
    cfg = hw6_double_descent.Config(p_start=101, p_stop=702, p_step=50)
    m = hw6_double_descent.run(cfg, ctx(tmp_path))
    assert 200 <= m["peak_p_fixed_lambda"] <= 400
    assert m["max_error_tuned_lambda"] < 0.5 * m["peak_error_fixed_lambda"]


def test_label_memorization_draws_in_the_official_order():
    torch.manual_seed(0)
    index, labels = hw5_label_memorization.random_label_subset(6000)
    torch.manual_seed(0)
    assert torch.equal(index, torch.randperm(60000)[:6000])
    assert torch.equal(labels, torch.randint(0, 10, (6000,)))


def test_regularization_variants_switch_on_what_they_say():
    cfg = ch3_regularization.Config()
    s = {v: ch3_regularization.settings(v, cfg) for v in ch3_regularization.VARIANTS}
    assert s["baseline"] == {"augment": False, "dropout": 0.0, "weight_decay": 0.0,
                             "early_stopping": False}
    assert s["both"] == {"augment": True, "dropout": 0.1, "weight_decay": 1e-5,
                         "early_stopping": False}
    assert s["early_stopping"]["early_stopping"] and not s["early_stopping"]["augment"]


def test_train_rejects_an_unknown_model(tmp_path):
    with pytest.raises(ConfigError, match="lenet5"):
        ch3_train.run(ch3_train.Config(model="resnet19"), ctx(tmp_path))
