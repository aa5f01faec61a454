"""HW3 P1: fit f*(x) = (x - 2) cos(4x) with a (1, 64, 64, 1) sigmoid MLP in PyTorch.

Data (torch, seed 0): X_train ~ N(0, 1) of shape (512,), then X_val ~ N(0, 1) of shape (102,),
labels f*(X). Model: Linear(1, 64), Sigmoid, Linear(64, 64), Sigmoid, Linear(64, 1), built
after the data; then every weight is overwritten with N(0, 1) draws in layer order and every
bias set to 0.03. Training: MSE, SGD lr 0.1, batch 128, shuffled every epoch, 1000 epochs.

Implement ``build_model`` and ``train_epoch``. Self-check: ``mfdnn check hw3 threelayerSGD.py``.
"""

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def f_true(x):
    return (x - 2) * torch.cos(4 * x)


def build_model():
    """nn.Sequential(Linear(1,64), Sigmoid(), Linear(64,64), Sigmoid(), Linear(64,1)); then
    each Linear's weight, in layer order, is filled with N(0, 1) draws (weight.normal_())
    and each bias is set to 0.03."""
    # BEGIN SOLUTION: construct the layers, then overwrite weights (normal_) and biases (0.03)
    model = nn.Sequential(nn.Linear(1, 64), nn.Sigmoid(), nn.Linear(64, 64), nn.Sigmoid(),
                          nn.Linear(64, 1))
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.Linear):
                layer.weight.normal_()
                layer.bias.fill_(0.03)
    return model
    # END SOLUTION


def train_epoch(model, loader, optimizer):
    """One epoch of minibatch SGD on nn.MSELoss(); returns the mean of the batch losses."""
    # BEGIN SOLUTION: zero_grad, MSE loss, backward, step for every batch
    loss_fn = nn.MSELoss()
    losses = []
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
    # END SOLUTION


if __name__ == "__main__":
    torch.manual_seed(0)
    N = 512
    X_train = torch.randn(N)
    y_train = f_true(X_train)
    X_val = torch.randn(N // 5)
    y_val = f_true(X_val)
    X_train, y_train = X_train.reshape(-1, 1), y_train.reshape(-1, 1)
    X_val, y_val = X_val.reshape(-1, 1), y_val.reshape(-1, 1)

    model = build_model()
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=128, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(1000):
        train_loss = train_epoch(model, loader, optimizer)
        if (epoch + 1) % 10 == 0:
            with torch.no_grad():
                val_loss = nn.functional.mse_loss(model(X_val), y_val).item()
            print(f"epoch {epoch + 1}: train {train_loss:.4f}, validation {val_loss:.4f}")

    grid = torch.linspace(-2, 2, 1024).reshape(-1, 1)
    with torch.no_grad():
        plt.plot(grid, f_true(grid), "k-", label="f*")
        plt.plot(grid, model(grid), "r-", label="MLP")
    plt.scatter(X_train, y_train, s=4, label="training data")
    plt.legend()
    plt.savefig("threelayerSGD.png")
