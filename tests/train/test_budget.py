"""The time budget (``stop_when`` of the laptop NICE): whole epochs while another one fits."""

from __future__ import annotations

from mfdnn.train import TimeBudget


def test_time_budget_stops_before_an_epoch_would_overrun():
    clock = [0.0]
    stop = TimeBudget(10.0, clock=lambda: clock[0])  # 600 s from now
    clock[0] = 0.5
    assert not stop([{}])  # fit's check before training on --resume: nothing trained yet
    clock[0] = 250.0
    assert not stop([{}] * 2)  # an epoch of 249.5 s: 250 + 249.5 < 600
    clock[0] = 500.0
    assert stop([{}] * 3)  # the last epoch took 250 s: 500 + 250 > 600
