"""HW4 P7: LeNet-5 with the original, sparse C3 layer (LeCun et al. 1998, Table 1).

    C1  Conv2d(1, 6, 5, padding=2), tanh     6 x 28 x 28
    S2  AvgPool2d(2, 2), tanh                 6 x 14 x 14
    C3  sparse (below), tanh                  16 x 10 x 10
    S4  AvgPool2d(2, 2), tanh                 16 x 5 x 5
    C5  Linear(400, 120), tanh;  F6  Linear(120, 84), tanh;  output Linear(84, 10)

C3 is 16 separate ``Conv2d(k_i, 1, 5)`` modules, each with its own bias, each reading the
subset ``C3_TABLE[i]`` of the six S2 maps; their outputs are concatenated in order.
Train with cross-entropy, SGD lr 0.1, batch 100 shuffled, 10 epochs, pixels in [0, 1].

Implement ``SparseC3``, ``count_parameters``, ``train_one_epoch`` and ``evaluate``.
Self-check: ``mfdnn check hw4 lenet_original.py``.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

C3_TABLE = [
    [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [0, 4, 5], [0, 1, 5],
    [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [0, 3, 4, 5], [0, 1, 4, 5], [0, 1, 2, 5],
    [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
    [0, 1, 2, 3, 4, 5],
]


class SparseC3(nn.Module):
    """16 x 10 x 10 output maps; map i is a 5 x 5 valid convolution (with its own bias) of the
    S2 maps listed in C3_TABLE[i] only."""

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION: one Conv2d(len(C3_TABLE[i]), 1, 5) per output map i
        self.convs = nn.ModuleList(nn.Conv2d(len(inputs), 1, 5) for inputs in C3_TABLE)
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION: apply conv i to the maps C3_TABLE[i] of x and concatenate the 16 outputs
        outputs = [conv(x[:, inputs]) for inputs, conv in zip(C3_TABLE, self.convs, strict=True)]
        return torch.cat(outputs, dim=1)
        # END SOLUTION


class LeNet5(nn.Module):
    def __init__(self, sparse=True):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.s2 = nn.AvgPool2d(2, 2)
        self.c3 = SparseC3() if sparse else nn.Conv2d(6, 16, 5)
        self.s4 = nn.AvgPool2d(2, 2)
        self.c5 = nn.Linear(400, 120)
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, 10)

    def forward(self, x):
        x = torch.tanh(self.s2(torch.tanh(self.c1(x))))
        x = torch.tanh(self.s4(torch.tanh(self.c3(x))))
        x = torch.tanh(self.c5(x.flatten(1)))
        x = torch.tanh(self.f6(x))
        return self.output(x)


def count_parameters(model):
    """The number of trainable parameters (those with requires_grad) of ``model``."""
    # BEGIN SOLUTION: sum the sizes of the parameters that require gradients
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
    # END SOLUTION


def train_one_epoch(model, loader, optimizer):
    """One pass over ``loader``: for each batch zero_grad, cross-entropy, backward, step.
    Returns the mean of the batch losses."""
    # BEGIN SOLUTION: the minibatch SGD loop over one epoch
    model.train()
    losses = []
    for images, labels in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
    # END SOLUTION


def evaluate(model, loader):
    """(mean cross-entropy over all images, fraction classified correctly), without gradients."""
    # BEGIN SOLUTION: sum the losses and the correct predictions over the loader
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for images, labels in loader:
            logits = model(images)
            total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
            count += len(labels)
    return total_loss / count, correct / count
    # END SOLUTION


if __name__ == "__main__":
    from mfdnn import data  # MNIST as tensors (the course used torchvision's MNIST)

    torch.manual_seed(0)  # the course sets no seed
    train, test = data.load("mnist", "train"), data.load("mnist", "test")
    train_loader = DataLoader(TensorDataset(train.float01(), train.labels), batch_size=100,
                              shuffle=True)
    test_loader = DataLoader(TensorDataset(test.float01(), test.labels), batch_size=100)

    model = LeNet5(sparse=True)
    print(f"trainable parameters: {count_parameters(model)}, "
          f"in C3: {count_parameters(model.c3)}")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(10):
        train_loss = train_one_epoch(model, train_loader, optimizer)
        test_loss, accuracy = evaluate(model, test_loader)
        print(f"epoch {epoch + 1}: train loss {train_loss:.4f}, test loss {test_loss:.4f}, "
              f"test accuracy {accuracy:.4f}")
