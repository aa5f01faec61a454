"""Confusion matrix, pixel accuracy and mean IoU on a case counted by hand."""

import math

import pytest
import torch

from mfdnn.imaging.segmentation import confusion_matrix, iou_per_class, mean_iou, pixel_accuracy

pytestmark = pytest.mark.hw8


def test_scores_by_hand():
    target = torch.tensor([[0, 0, 1], [1, 2, 255]])
    pred = torch.tensor([[0, 1, 1], [1, 1, 0]])
    M = confusion_matrix(pred, target, 4)  # the 255 pixel is ignored; class 3 never occurs
    assert M.tolist() == [[1, 1, 0, 0], [0, 2, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]]
    assert pixel_accuracy(M) == pytest.approx(3 / 5)
    iou = iou_per_class(M)
    # class 0: TP 1, FP 0, FN 1 -> 1/2; class 1: TP 2, FP 2, FN 0 -> 1/2; class 2: 0/1
    assert iou[:3].tolist() == pytest.approx([0.5, 0.5, 0.0])
    assert math.isnan(iou[3])
    assert mean_iou(M) == pytest.approx(1 / 3)


def test_perfect_prediction():
    target = torch.randint(0, 5, (3, 8, 8), generator=torch.Generator().manual_seed(0))
    M = confusion_matrix(target, target, 5)
    assert pixel_accuracy(M) == 1.0 and mean_iou(M) == 1.0
    assert M.sum() == target.numel()
