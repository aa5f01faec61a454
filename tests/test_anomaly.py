"""The threshold rule of HW9 P1 and HW11 P3 on constructed scores."""

from __future__ import annotations

import pytest
import torch

from mfdnn.anomaly import detect, threshold_rule

pytestmark = [pytest.mark.hw9, pytest.mark.hw11]


def test_threshold_is_mean_plus_or_minus_k_population_std():
    v = torch.tensor([1.0, 2.0, 3.0, 4.0])  # mean 2.5, population std sqrt(1.25)
    high, mean, std = threshold_rule(v, k=3)
    assert (mean, std) == (2.5, pytest.approx(1.25**0.5))
    assert high == pytest.approx(2.5 + 3 * 1.25**0.5)
    low, _, _ = threshold_rule(v, k=3, high_is_anomalous=False)
    assert low == pytest.approx(2.5 - 3 * 1.25**0.5)
    _, _, sample_std = threshold_rule(v, unbiased=True)
    assert sample_std == pytest.approx((5 / 3) ** 0.5)


def test_error_counts_on_a_constructed_example():
    validation = torch.tensor([10.0, 10.0, 12.0, 12.0])  # mean 11, std 1: threshold 14
    normal = torch.tensor([9.0, 13.9, 14.0, 14.1, 20.0])  # 14.1 and 20 exceed 14
    anomalies = torch.tensor([13.0, 14.0, 15.0])  # 13 and 14 are not flagged (s <= threshold)
    det = detect(validation, normal, anomalies, k=3, high_is_anomalous=True)
    assert det.threshold == pytest.approx(14.0)
    assert (det.type1_count, det.type2_count) == (2, 2)
    assert (det.type1_error, det.type2_error) == (pytest.approx(2 / 5), pytest.approx(2 / 3))


def test_low_scores_are_anomalous_for_likelihoods():
    validation = -torch.tensor([10.0, 10.0, 12.0, 12.0])  # threshold -14
    normal = torch.tensor([-9.0, -14.5, -13.0])  # -14.5 < -14 is flagged
    anomalies = torch.tensor([-20.0, -14.0, -30.0])  # -14 >= threshold: missed
    det = detect(validation, normal, anomalies, k=3, high_is_anomalous=False)
    assert det.threshold == pytest.approx(-14.0)
    assert (det.type1_count, det.type2_count) == (1, 1)
