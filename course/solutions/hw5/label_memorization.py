"""HW5 P6: a network memorises random labels (Zhang et al. 2017).

Train the AlexNet-style network below on 6000 MNIST images (a 10% subset) whose labels are
replaced by uniform random classes, drawn once: torch.manual_seed(0), indices = the first
6000 entries of randperm(60000), then labels = randint(0, 10, (6000,)). Cross-entropy, SGD
lr 0.1, batch 64 shuffled, 150 epochs (about 90 minutes on the course's machines; pass a
smaller EPOCHS to try it). Training accuracy climbs toward 100% after a long plateau; test
accuracy on the true labels stays near 10%.

Implement ``AlexNetMemo``, ``random_label_subset`` and ``accuracy``.
Self-check: ``mfdnn check hw5 label_memorization.py``.
"""

import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class AlexNetMemo(nn.Module):
    """1 x 28 x 28 -> Conv2d(1,96,4), ReLU -> Conv2d(96,96,3), ReLU -> Conv2d(96,256,5,p=2),
    ReLU, MaxPool2d(3,2) -> Conv2d(256,384,3,p=1), ReLU -> Conv2d(384,384,3,p=1), ReLU ->
    Conv2d(384,256,3,p=1), ReLU, MaxPool2d(3,2) -> flatten 6400 -> Dropout(0.5) ->
    Linear(6400,800), ReLU -> Linear(800,10)."""

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION: the layers of the docstring
        self.features = nn.Sequential(
            nn.Conv2d(1, 96, 4), nn.ReLU(),
            nn.Conv2d(96, 96, 3), nn.ReLU(),
            nn.Conv2d(96, 256, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Linear(6400, 800), nn.ReLU(),
                                        nn.Linear(800, 10))
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION: features, flatten, classifier
        return self.classifier(self.features(x).flatten(1))
        # END SOLUTION


def random_label_subset(images, n_subset, seed):
    """torch.manual_seed(seed); index = randperm(len(images))[:n_subset]; labels =
    randint(0, 10, (n_subset,)). Returns (images[index], labels)."""
    # BEGIN SOLUTION: the two draws, in this order
    torch.manual_seed(seed)
    index = torch.randperm(len(images))[:n_subset]
    labels = torch.randint(0, 10, (n_subset,))
    return images[index], labels
    # END SOLUTION


def accuracy(model, images, labels, batch_size=1000):
    """The fraction of images classified as their label, in eval mode (dropout off) and
    without gradients."""
    # BEGIN SOLUTION: eval mode, no_grad, argmax over batches
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(images[start:start + batch_size])
            correct += (logits.argmax(1) == labels[start:start + batch_size]).sum().item()
    return correct / len(images)
    # END SOLUTION


if __name__ == "__main__":
    from mfdnn import data  # MNIST as tensors

    EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    train, test = data.load("mnist", "train"), data.load("mnist", "test")
    images, labels = random_label_subset(train.float01(), 6000, seed=0)
    model = AlexNetMemo()
    print("parameters:", sum(p.numel() for p in model.parameters()))
    loader = DataLoader(TensorDataset(images, labels), batch_size=64, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(EPOCHS):
        tic = time.time()
        model.train()  # accuracy() switches to eval mode; dropout is on while training
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: last batch loss {loss.item():.4f}, training accuracy "
              f"{accuracy(model, images, labels):.4f} ({time.time() - tic:.0f} s)")
    print("test accuracy on the true labels:",
          accuracy(model, test.float01(), test.labels))
