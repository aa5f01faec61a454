"""Chapter 2 / HW4 P5 on MNIST 4 vs 9: the data selection and the shared training path."""

from __future__ import annotations

import pytest
import torch

from mfdnn.experiments import _two_digits as ch2
from mfdnn.experiments._threads import single_thread
from mfdnn.experiments.core.context import RunContext
from mfdnn.models.shallow import LinearScore, probability_squared_loss

pytestmark = [pytest.mark.hw4, pytest.mark.data]


def test_four_vs_nine_counts_and_labels():
    train, test = ch2.two_digits("train", 4, 9), ch2.two_digits("test", 4, 9)
    assert len(train.labels) == 11791 and len(test.labels) == 1991
    assert set(train.labels.tolist()) == {-1.0, 1.0}
    x, y = test.tensors(torch.device("cpu"))
    assert x.max() <= 1.0 and x.dtype == torch.float32
    raw, _ = test.tensors(torch.device("cpu"), raw=True)
    assert raw.max() == 255.0


def test_margin_accuracy_counts_zero_scores_as_correct():
    model = LinearScore(4)
    with torch.no_grad():
        model.linear.weight.copy_(torch.tensor([[1.0, 0.0, 0.0, 0.0]]))
    x = torch.tensor([[1.0, 0, 0, 0], [-1.0, 0, 0, 0], [0.0, 0, 0, 0]])
    assert ch2.margin_accuracy(model, x, torch.tensor([1.0, 1.0, -1.0])) == pytest.approx(2 / 3)


def test_both_losses_learn_on_a_small_subset(tmp_path):
    ctx = RunContext("hw4-mse-loss", "test", 0, torch.device("cpu"), tmp_path)
    train = ch2.two_digits("train", 4, 9, 1000).tensors(ctx.device)
    test = ch2.two_digits("test", 4, 9, 300).tensors(ctx.device)
    with single_thread():
        _, ce = ch2.train_binary(2.55e-2, 64, 2, ctx, train, test)
        _, mse = ch2.train_binary(2.55e-2, 64, 2, ctx, train, test,
                                  loss=probability_squared_loss)
    assert ce[-1] > 0.8 and mse[-1] > 0.8
