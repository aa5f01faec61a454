"""HW3: the three-layer MLP run matches the starter's DataLoader loop bit for bit."""

from __future__ import annotations

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from mfdnn.data.synthetic.curves import f_star
from mfdnn.experiments import hw3_three_layer_sgd as hw3
from mfdnn.experiments._threads import single_thread
from mfdnn.experiments.core.context import RunContext

pytestmark = pytest.mark.hw3


def _starter(epochs: int, shuffle: bool) -> torch.nn.Module:
    """The starter's order of operations, with torch.optim.SGD and a DataLoader."""
    torch.manual_seed(0)
    X_train = torch.randn(512)
    y_train = f_star(X_train)
    X_val = torch.randn(102)
    f_star(X_val)
    model = torch.nn.Sequential(torch.nn.Linear(1, 64), torch.nn.Sigmoid(),
                                torch.nn.Linear(64, 64), torch.nn.Sigmoid(),
                                torch.nn.Linear(64, 1))
    with torch.no_grad():
        for layer in (model[0], model[2], model[4]):
            layer.weight.normal_(0, 1)
            layer.bias.fill_(0.03)
    loader = DataLoader(TensorDataset(X_train.reshape(-1, 1), y_train.reshape(-1, 1)),
                        batch_size=128, shuffle=shuffle)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
    return model


@pytest.mark.parametrize("shuffle", [True, False])
def test_same_parameters_as_the_starter_loop(tmp_path, shuffle):
    ctx = RunContext("hw3-three-layer-sgd", "test", 0, torch.device("cpu"), tmp_path)
    with single_thread():
        ours = hw3.train_run(hw3.Config(epochs=4, shuffle=shuffle), ctx, 0.0)["model"]
        theirs = _starter(4, shuffle)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert torch.equal(p, q)


def test_noisy_run_keeps_the_inputs(tmp_path):
    ctx = RunContext("hw3-three-layer-sgd", "test", 0, torch.device("cpu"), tmp_path)
    cfg = hw3.Config(epochs=1)
    with single_thread():
        clean, noisy = hw3.train_run(cfg, ctx, 0.0), hw3.train_run(cfg, ctx, 0.5)
    assert torch.equal(clean["X_train"], noisy["X_train"])
    noise = noisy["y_train"] - clean["y_train"]
    assert 0.4 < noise.std().item() < 0.6
