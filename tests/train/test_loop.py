"""The training loop: it learns, it resumes bitwise, it stops on NaN naming the step."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from mfdnn.errors import TrainingDiverged
from mfdnn.train import Checkpoint, cross_entropy_loss, evaluate_classifier, fit


def toy_problem(n=256, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 8, generator=g)
    Y = (X[:, 0] + X[:, 1] > 0).long() + 2 * (X[:, 2] > 0).long()
    return X, Y


def toy_model():
    # dropout makes the run consume the global generator between batches
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 4))


def train(epochs, checkpoint=None, resume=False, stop_after=None):
    torch.manual_seed(0)
    model = toy_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, 2 * 8, 0.5)  # halved every 2 epochs of 8 steps
    X, Y = toy_problem()
    saved = Checkpoint(checkpoint, "toy", resume) if checkpoint else None
    result = fit(model, cross_entropy_loss, opt, (X, Y), epochs=epochs, batch_size=32,
                 scheduler=sched, evaluate=lambda m, _epoch: evaluate_classifier(m, X, Y),
                 checkpoint=saved,
                 stop_when=(lambda h: len(h) >= stop_after) if stop_after else None)
    return model, result


def test_training_reduces_the_loss():
    _, result = train(6)
    assert result.history[-1]["loss"] < 0.6 * result.history[0]["loss"]
    assert result.last("accuracy") > 0.8
    assert result.steps == 6 * 8


def test_resume_after_interruption_is_bitwise_identical(tmp_path):
    model_a, straight = train(5)
    ckpt = tmp_path / "ckpt.pt"
    train(5, checkpoint=ckpt, stop_after=2)  # "killed" after epoch 2's checkpoint
    model_b, resumed = train(5, checkpoint=ckpt, resume=True)
    for (name, a), b in zip(model_a.state_dict().items(), model_b.state_dict().values(),
                            strict=True):
        assert torch.equal(a, b), name
    strip = [{k: v for k, v in h.items() if k != "seconds"} for h in straight.history]
    assert strip == [{k: v for k, v in h.items() if k != "seconds"} for h in resumed.history]
    assert torch.equal(torch.get_rng_state(), _rng_after(5))


def _rng_after(epochs):
    train(epochs)
    return torch.get_rng_state()


def test_resume_refuses_a_checkpoint_of_another_config(tmp_path):
    from mfdnn.errors import MfdnnError

    ckpt = tmp_path / "ckpt.pt"
    train(1, checkpoint=ckpt)
    model = toy_model()
    with pytest.raises(MfdnnError, match="different configuration"):
        fit(model, cross_entropy_loss, torch.optim.SGD(model.parameters(), lr=0.1),
            toy_problem(), epochs=2, batch_size=32,
            checkpoint=Checkpoint(ckpt, "other", resume=True))


def test_nan_loss_stops_with_the_step_named():
    X, Y = toy_problem()
    model = toy_model()
    opt = torch.optim.SGD(model.parameters(), lr=1e6)
    with pytest.raises(TrainingDiverged, match=r"at step \d+ \(epoch \d+, batch \d+\)"):
        fit(model, cross_entropy_loss, opt, (X * 1e3, Y), epochs=50, batch_size=32)


def test_course_dropout_bug_leaves_eval_mode_after_the_first_evaluation():
    X, Y = toy_problem()
    model = toy_model()
    modes = []

    def loss(m, x, y):
        modes.append(m.training)
        return cross_entropy_loss(m, x, y)

    fit(model, loss, torch.optim.SGD(model.parameters(), lr=0.1), (X, Y), epochs=2,
        batch_size=128, evaluate=lambda m, _epoch: {}, train_mode_every_epoch=False)
    assert modes == [True, True, False, False]


def test_eval_every_records_fractions_of_an_epoch_and_can_stop_mid_epoch():
    X, Y = toy_problem()  # 256 samples, batch 32: 8 steps per epoch
    seen_steps = []

    def run(stop_when=None):
        torch.manual_seed(0)
        model = toy_model()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)

        def loss(m, x, y):
            seen_steps.append(1)
            return cross_entropy_loss(m, x, y)

        return fit(model, loss, opt, (X, Y), epochs=2, batch_size=32, eval_every=3,
                   evaluate=lambda m, _epoch: evaluate_classifier(m, X, Y), stop_when=stop_when)

    result = run()
    # checks after steps 3 and 6 of each epoch, and at each epoch's end
    assert [h["epoch"] for h in result.history] == [0.375, 0.75, 1, 1.375, 1.75, 2]
    assert [h.get("step") for h in result.history] == [3, 6, None, 11, 14, None]
    assert result.steps == 16 and all("accuracy" in h for h in result.history)
    seen_steps.clear()
    stopped = run(stop_when=lambda h: h[-1]["epoch"] >= 1.3)
    assert stopped.history[-1]["epoch"] == 1.375 and stopped.stopped_early
    assert stopped.steps == len(seen_steps) == 11
    # the same draws up to the stop: the records agree with the full run's
    pairs = zip(result.history[:4], stopped.history[:4], strict=True)
    assert stopped.history[:4] == [{**h, "seconds": g["seconds"]} for h, g in pairs]


@pytest.mark.parametrize("interval", [1, 4])
def test_a_bad_loss_is_named_by_its_own_step_when_losses_are_read_in_groups(
        interval, monkeypatch):
    """On an accelerator the losses are read every 50 steps; the step named is still exact."""
    from mfdnn.train import loop

    monkeypatch.setattr(loop, "check_interval", lambda device: interval)
    X, Y = toy_problem()  # 8 batches of 32 per epoch
    model = toy_model()
    calls = []

    def loss(m, x, y):
        calls.append(1)
        value = cross_entropy_loss(m, x, y)
        return value * float("nan") if len(calls) == 11 else value

    with pytest.raises(TrainingDiverged, match=r"at step 11 \(epoch 2, batch 3\)"):
        fit(model, loss, torch.optim.SGD(model.parameters(), lr=0.1), (X, Y), epochs=3,
            batch_size=32)


def test_evaluate_is_told_the_epoch_and_predict_takes_a_function():
    from mfdnn.train import predict

    X, Y = toy_problem()  # 8 steps per epoch: checks after steps 4 and 8
    torch.manual_seed(0)
    model = toy_model()
    seen = []
    result = fit(model, cross_entropy_loss, torch.optim.SGD(model.parameters(), lr=0.1), (X, Y),
                 epochs=2, batch_size=32, eval_every=4,
                 evaluate=lambda m, epoch: seen.append(epoch) or {})
    assert seen == [h["epoch"] for h in result.history] == [0.5, 1, 1.5, 2]
    model.train()
    out = predict(model, X, batch_size=100)  # a model: in eval mode (no dropout), restored
    assert model.training
    torch.testing.assert_close(out, model.eval()(X).detach())
    torch.testing.assert_close(predict(lambda x: x.sum(1), X, batch_size=7), X.sum(1))
