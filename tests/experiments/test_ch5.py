"""Chapter 5 experiments: the NICE checkpoint cache ("pretrained if present, else train"),
the anomaly-set choice, and the swiss-roll and minimax experiments' course draws."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mfdnn.experiments import _anomaly_data, hw10_nice_train, hw12_minimax_logistic
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import get_experiment
from mfdnn.flows import NICE

pytestmark = [pytest.mark.hw10, pytest.mark.hw11]


def ctx_for(tmp_path, profile="quick", seed=0):
    return RunContext("test", profile, seed, torch.device("cpu"), tmp_path / "out",
                      progress=False)


def test_quick_recipe_differs_from_laptop_and_full_which_share_one():
    exp = get_experiment("hw10-nice-train")
    quick, laptop, full = (exp.make_config(p) for p in ("quick", "laptop", "full"))
    key = hw10_nice_train.recipe_key
    assert key(quick, 0) != key(laptop, 0)
    assert key(laptop, 0) == key(full, 0)  # they differ only in how long they train
    assert key(full, 0) != key(full, 1)  # the seed is part of what produced the model
    assert (full.mid_dim, full.hidden, full.coupling, full.epochs) == (1000, 5, 4, 100)


def test_pretrained_nice_takes_the_longest_trained_cached_file(tmp_path, cache):
    ctx = ctx_for(tmp_path)
    cfg = get_experiment("hw10-nice-train").make_config("quick")
    folder = hw10_nice_train.cache_dir(ctx)
    folder.mkdir(parents=True)
    key = hw10_nice_train.recipe_key(cfg, ctx.seed)
    models = {}
    for epochs in (2, 7):
        torch.manual_seed(epochs)
        models[epochs] = hw10_nice_train.build(cfg)
        torch.save({"state_dict": models[epochs].state_dict()},
                   folder / f"nice-{key}-e{epochs}.pt")
    torch.save({"state_dict": models[2].state_dict()}, folder / f"nice-{key}x-e9.pt")  # other
    model, path = hw10_nice_train.pretrained_nice("quick", ctx)
    assert path.endswith(f"nice-{key}-e7.pt")
    for a, b in zip(model.parameters(), models[7].parameters(), strict=True):
        assert torch.equal(a, b) and not a.requires_grad
    assert not model.training


def test_pretrained_nice_loads_a_user_state_dict_of_the_course_model(tmp_path, cache):
    torch.manual_seed(0)
    original = NICE.course()
    path = tmp_path / "nice.pt"
    torch.save(original.state_dict(), path)  # the course's file is a bare state dict
    model, used = hw10_nice_train.pretrained_nice("full", ctx_for(tmp_path), str(path))
    assert used == str(path)
    x = torch.rand(2, 784)
    torch.testing.assert_close(model.log_prob(x), original.log_prob(x).detach())


def test_kmnist_is_not_available_in_an_empty_cache(cache):
    assert _anomaly_data.kmnist_available() is False


@pytest.mark.hw12
def test_minimax_run_draws_x_y_theta_phi_in_order(tmp_path):
    ctx = ctx_for(tmp_path)
    cfg = hw12_minimax_logistic.Config(epochs=1)
    metrics = hw12_minimax_logistic.run(cfg, ctx)
    rng = np.random.RandomState(0)
    X, Y = rng.randn(30, 20), 2 * rng.randint(2, size=30) - 1
    theta, phi = 0.1 * rng.randn(20), 0.1 * rng.randn(20)
    from mfdnn.gan.minimax import sgda

    _, _, log = sgda(X, Y, theta, phi, alpha=0.3, beta=1e-4, lam=30.0, epochs=1, rng=rng)
    assert metrics["objective"] == log["objective"][0]


def test_time_budget_stops_before_an_epoch_would_overrun(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(hw10_nice_train.time, "perf_counter", lambda: clock[0])
    stop = hw10_nice_train._budget_stop(10.0)  # 600 s
    clock[0] = 0.5
    assert not stop([{}])  # fit's check before training on --resume: nothing trained yet
    clock[0] = 250.0
    assert not stop([{}] * 2)  # epoch of 249.5 s: 250 + 249.5 < 600
    clock[0] = 500.0
    assert stop([{}] * 3)  # 500 + 250 > 600
    assert not hw10_nice_train._budget_stop(None)([{}])
