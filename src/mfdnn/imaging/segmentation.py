"""Scores of a semantic segmentation, from the confusion matrix over all scored pixels.

With M[t, p] = number of pixels of true class t predicted as p (pixels labelled ``ignore``,
VOC's 255, are skipped):

    pixel accuracy = sum_c M[c, c] / sum M
    IoU_c          = M[c, c] / (sum_p M[c, p] + sum_t M[t, c] - M[c, c])   (TP / (TP + FP + FN))
    mIoU           = mean of IoU_c over the classes that occur in the truth or the prediction
"""

from __future__ import annotations

import torch
from torch import Tensor


def confusion_matrix(pred: Tensor, target: Tensor, num_classes: int, ignore: int | None = 255
                     ) -> Tensor:
    """k x k int64 counts M[t, p] over all pixels of ``pred`` and ``target`` (same shape)."""
    keep = target != ignore if ignore is not None else torch.ones_like(target, dtype=torch.bool)
    t, p = target[keep].long(), pred[keep].long()
    return torch.bincount(t * num_classes + p, minlength=num_classes**2).reshape(
        num_classes, num_classes).cpu()


def pixel_accuracy(confusion: Tensor) -> float:
    return float(confusion.diag().sum() / confusion.sum().clamp_min(1))


def iou_per_class(confusion: Tensor) -> Tensor:
    """IoU_c, NaN for a class absent from both truth and prediction."""
    tp = confusion.diag().double()
    union = confusion.sum(0).double() + confusion.sum(1).double() - tp
    return torch.where(union > 0, tp / union.clamp_min(1), torch.full_like(tp, float("nan")))


def mean_iou(confusion: Tensor) -> float:
    iou = iou_per_class(confusion)
    return float(iou[~iou.isnan()].mean())
