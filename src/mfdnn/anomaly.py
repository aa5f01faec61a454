"""Anomaly detection by thresholding a score at k standard deviations from the validation mean.

HW9 P1 scores by reconstruction error (large = anomalous), threshold = mean + 3 std of the
validation scores. HW11 P3 scores by log-likelihood (small = anomalous),
threshold = mean - 3 std. With both:

    type I error  = share of normal test data flagged as anomalous,
    type II error = share of anomalies not flagged.

The std is the population std (``unbiased=False``) by default; at n = 10,000 the choice does
not matter, and ``unbiased=True`` gives the sample std.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor


@dataclass(frozen=True)
class Detection:
    threshold: float
    mean: float
    std: float
    type1_count: int
    type2_count: int
    normal_count: int
    anomaly_count: int

    @property
    def type1_error(self) -> float:
        return self.type1_count / self.normal_count

    @property
    def type2_error(self) -> float:
        return self.type2_count / self.anomaly_count


def threshold_rule(validation: Tensor, k: float = 3.0, high_is_anomalous: bool = True,
                   unbiased: bool = False) -> tuple[float, float, float]:
    """(threshold, mean, std): mean + k std if high scores are anomalous, else mean - k std."""
    v = validation.double()
    mean, std = v.mean().item(), v.std(unbiased=unbiased).item()
    return (mean + k * std if high_is_anomalous else mean - k * std), mean, std


def detect(validation: Tensor, normal: Tensor, anomalies: Tensor, k: float = 3.0,
           high_is_anomalous: bool = True, unbiased: bool = False) -> Detection:
    """Threshold from ``validation``; error counts on the ``normal`` and ``anomalies`` scores.

    High-is-anomalous flags s > threshold; low-is-anomalous flags s < threshold.
    """
    threshold, mean, std = threshold_rule(validation, k, high_is_anomalous, unbiased)
    if high_is_anomalous:
        flag_normal, flag_anomaly = normal > threshold, anomalies > threshold
    else:
        flag_normal, flag_anomaly = normal < threshold, anomalies < threshold
    return Detection(threshold, mean, std, int(flag_normal.sum()),
                     int((~flag_anomaly).sum()), len(normal), len(anomalies))
