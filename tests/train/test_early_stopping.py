"""Early stopping on a validation split keeps the best weights; splits match random_split."""

import pytest
import torch
from torch import nn
from torch.utils.data import random_split

from mfdnn.train import cross_entropy_loss, evaluate_classifier, fit
from mfdnn.train.early_stopping import EarlyStopping
from mfdnn.train.split import random_split_indices, validation_split

pytestmark = pytest.mark.hw5


def test_split_equals_torch_random_split():
    torch.manual_seed(5)
    ours = random_split_indices(100, (70, 20, 10))
    torch.manual_seed(5)
    theirs = random_split(range(100), (70, 20, 10))
    for a, b in zip(ours, theirs, strict=True):
        assert a.tolist() == list(b.indices)
    train, val = validation_split(50, 10, torch.Generator().manual_seed(0))
    assert len(train) == 40 and len(val) == 10 and not set(train.tolist()) & set(val.tolist())


def test_stops_after_patience_and_remembers_the_best_epoch():
    stopper = EarlyStopping(patience=2)
    model = nn.Linear(2, 1)
    history = []
    for epoch, loss in enumerate([1.0, 0.5, 0.6, 0.4, 0.45, 0.5], 1):
        with torch.no_grad():
            model.weight.fill_(epoch)
        record = {"val_loss": loss}
        stopper.update(model, record)
        history.append(record)
        if stopper(history):
            break
    assert epoch == 6 and stopper.best_epoch == 4
    assert stopper.restore(model) == 4
    assert model.weight.unique().item() == 4


def test_overfitting_run_stops_early_and_restores_its_best_weights(tmp_path):
    g = torch.Generator().manual_seed(0)
    X = torch.randn(120, 20, generator=g)
    Y = (X[:, 0] > 0).long()
    Y[::3] = 1 - Y[::3]  # noisy labels: a wide net overfits them
    train, val = (X[:80], Y[:80]), (X[80:], Y[80:])
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 2))
    stopper = EarlyStopping(patience=3, path=tmp_path / "best.pt")

    def evaluate(m, _epoch):
        record = {f"val_{k}": v for k, v in evaluate_classifier(m, *val).items()}
        stopper.update(m, record)
        return record

    result = fit(model, cross_entropy_loss, torch.optim.SGD(model.parameters(), lr=0.2), train,
                 epochs=200, batch_size=10, evaluate=evaluate, stop_when=stopper)
    assert result.stopped_early
    best = stopper.restore(model)
    assert len(result.history) == best + 3
    assert evaluate_classifier(model, *val)["loss"] == pytest.approx(
        min(result.curve("val_loss")), rel=1e-5)
    # a second stopper (a resumed run) finds the best weights on disk
    again = EarlyStopping(patience=3, path=tmp_path / "best.pt")
    assert again(result.history) and again.best_epoch == best
