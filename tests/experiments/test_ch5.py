"""Chapter 5 experiments: the NICE checkpoint cache ("pretrained if present, else train"),
the anomaly-set choice, and the swiss-roll and minimax experiments' course draws."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mfdnn.experiments import _anomaly_data, hw10_nice_train, hw12_minimax_logistic
from mfdnn.experiments.core.artifacts import pretrained, recipe_key
from mfdnn.experiments.core.context import RunContext
from mfdnn.experiments.core.registry import get_experiment
from mfdnn.flows import NICE

pytestmark = [pytest.mark.hw10, pytest.mark.hw11]


def ctx_for(tmp_path, profile="quick", seed=0):
    return RunContext("test", profile, seed, torch.device("cpu"), tmp_path / "out")


def nice_key(profile: str, seed: int = 0) -> str:
    cfg = get_experiment("hw10-nice-train").make_config(profile)
    return recipe_key(hw10_nice_train.recipe(cfg, seed))


def test_each_profile_has_its_recipe_and_laptop_and_full_resume_each_other():
    exp = get_experiment("hw10-nice-train")
    quick, laptop, full = (exp.make_config(p) for p in ("quick", "laptop", "full"))
    assert len({nice_key("quick"), nice_key("laptop"), nice_key("full")}) == 3
    assert nice_key("full") != nice_key("full", seed=1)  # the seed is part of the model
    training = hw10_nice_train.training_recipe  # what a checkpoint must match to resume
    assert training(laptop, 0) == training(full, 0) != training(quick, 0)
    assert (full.mid_dim, full.hidden, full.coupling, full.epochs) == (1000, 5, 4, 100)


def test_pretrained_nice_loads_the_cached_model_of_its_profile(tmp_path, cache):
    ctx = ctx_for(tmp_path)
    cfg = get_experiment("hw10-nice-train").make_config("quick")
    torch.manual_seed(7)
    saved = hw10_nice_train.build(cfg)
    path = ctx.artifacts / "nice" / f"nice-{nice_key('quick')}.pt"
    path.parent.mkdir(parents=True)
    torch.save({"state_dict": saved.state_dict(), "recipe": {}, "info": {}}, path)
    nice = pretrained(ctx, "hw10-nice-train", "quick")
    assert nice.source == str(path) and not nice.trained_now
    for a, b in zip(nice.model.parameters(), saved.parameters(), strict=True):
        assert torch.equal(a, b) and not a.requires_grad
    assert not nice.model.training


def test_pretrained_nice_loads_a_user_state_dict_of_the_course_model(tmp_path, cache):
    torch.manual_seed(0)
    original = NICE.course()
    path = tmp_path / "nice.pt"
    torch.save(original.state_dict(), path)  # the course's file is a bare state dict
    nice = pretrained(ctx_for(tmp_path), "hw10-nice-train", "quick", str(path))
    assert nice.source == str(path)  # the course's model, whatever the profile's NICE is
    x = torch.rand(2, 784)
    torch.testing.assert_close(nice.model.log_prob(x), original.log_prob(x).detach())


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



@pytest.mark.data
def test_resume_continues_the_nice_training_for_more_epochs(tmp_path, monkeypatch):
    """1 epoch, then --resume with epochs=2 in the same folder: the 2-epoch run's numbers."""
    from mfdnn.data.files import cache_root
    from mfdnn.experiments.core.runner import run_experiment

    root = tmp_path / "cache"  # the real MNIST, an empty artifact cache
    root.mkdir()
    (root / "mnist").symlink_to(cache_root() / "mnist")
    monkeypatch.setenv("MFDNN_DATA", str(root))
    small = ["train_size=1000", "test_size=200"]

    def run(out, epochs, resume=False):
        return run_experiment("hw10-nice-train", profile="quick", device="cpu", out=out,
                              overrides=small + [f"epochs={epochs}"], resume=resume,
                              progress=False, quiet=True)

    straight = run(tmp_path / "straight", 2)
    run(tmp_path / "resumed", 1)
    resumed = run(tmp_path / "resumed", 2, resume=True)
    assert resumed.manifest["train_samples"] == 1000  # only the second epoch was trained
    assert straight.manifest["train_samples"] == 2000
    assert resumed.metrics["epochs"] == 2
    assert ({k: v for k, v in resumed.metrics.items() if k != "train_seconds"}
            == {k: v for k, v in straight.metrics.items() if k != "train_seconds"})
