"""Learning-rate schedules of the course, as plain functions of the step counter t.

    exponential(t)  = lr0 gamma^t                                   (ExponentialLR, per epoch)
    inverse(t)      = C / (t + 1)                                   (LambdaLR "C / epoch")
    inverse_sqrt(t) = C / sqrt(t + 1)                               (LambdaLR "C / sqrt(iteration)")
    cosine(t)       = lr_min + (lr_max - lr_min)(1 + cos(pi t / T)) / 2    (cosine annealing)

The counter starts at 0 (PyTorch's ``last_epoch``), hence t + 1 in the diminishing ones.
:func:`scheduler` wraps any of them as a ``torch.optim.lr_scheduler.LambdaLR`` that sets the
learning rate to ``schedule(t)`` exactly; the tests check it against PyTorch's own
ExponentialLR and CosineAnnealingLR.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

Schedule = Callable[[int], float]


def exponential(lr0: float, gamma: float) -> Schedule:
    return lambda t: lr0 * gamma**t


def inverse(C: float) -> Schedule:
    return lambda t: C / (t + 1)


def inverse_sqrt(C: float) -> Schedule:
    return lambda t: C / math.sqrt(t + 1)


def cosine(lr_max: float, T: int, lr_min: float = 0.0) -> Schedule:
    return lambda t: lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * t / T)) / 2


def scheduler(optimizer: torch.optim.Optimizer, schedule: Schedule
              ) -> torch.optim.lr_scheduler.LambdaLR:
    """Set every group's learning rate to ``schedule(t)`` at step t (``scheduler.step()``
    advances t). The groups' initial ``lr`` is overwritten by ``schedule(0)``."""
    for group in optimizer.param_groups:
        group["lr"] = group["initial_lr"] = 1.0  # LambdaLR multiplies this base by the factor
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: schedule(t))
