"""Learning-rate schedules against PyTorch's schedulers."""

import math

import pytest
import torch

from mfdnn.optim import SGD, schedules

pytestmark = pytest.mark.hw5


def _lrs(scheduler, optimizer, steps):
    out = []
    for _ in range(steps):
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return out


def _optimizer(lr=0.5):
    return SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def test_exponential_matches_exponential_lr():
    opt = _optimizer()
    ours = _lrs(schedules.scheduler(opt, schedules.exponential(0.5, 0.9)), opt, 20)
    ref_opt = _optimizer()
    theirs = _lrs(torch.optim.lr_scheduler.ExponentialLR(ref_opt, gamma=0.9), ref_opt, 20)
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_cosine_matches_cosine_annealing_lr():
    opt = _optimizer()
    ours = _lrs(schedules.scheduler(opt, schedules.cosine(0.5, T=15, lr_min=0.01)), opt, 16)
    ref_opt = _optimizer()
    theirs = _lrs(torch.optim.lr_scheduler.CosineAnnealingLR(ref_opt, T_max=15, eta_min=0.01),
                  ref_opt, 16)
    assert ours == pytest.approx(theirs, rel=1e-9)
    assert ours[0] == 0.5 and ours[15] == pytest.approx(0.01)


def test_diminishing_schedules():
    opt = _optimizer()
    assert _lrs(schedules.scheduler(opt, schedules.inverse(2.0)), opt, 4) == pytest.approx(
        [2.0, 1.0, 2 / 3, 0.5])
    assert schedules.inverse_sqrt(3.0)(3) == pytest.approx(1.5)
    assert schedules.inverse_sqrt(3.0)(99) == pytest.approx(3 / math.sqrt(100))
