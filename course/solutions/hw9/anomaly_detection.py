"""HW9 P1: anomaly detection with an autoencoder (MNIST normal, KMNIST anomalous).

Encoder 784 -> 256 -> 128 -> 32 with ReLU after every layer (the code included); decoder
32 -> 128 -> 256 -> 784 with ReLU, ReLU, sigmoid, reshaped to 1 x 28 x 28. MSE, Adam 1e-3,
batch 100 shuffled, 10 epochs on 50,000 of the MNIST training images (seeded random_split;
the other 10,000 are the validation set). Score s(X) = ||X - D(E(X))||^2 summed over pixels;
threshold = mean + 3 std of the validation scores; type I errors: MNIST test images above
it; type II errors: anomalies at or below it. KMNIST is not available offline: Fashion-MNIST
test images are the substitute anomalies.

Implement ``Autoencoder``, ``anomaly_scores`` and ``threshold``.
Self-check: ``mfdnn check hw9 anomaly_detection.py``.
"""

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split


class Autoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION: encoder and decoder of the docstring
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(),
                                     nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 32),
                                     nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 256),
                                     nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION: decode the code, back to 1 x 28 x 28
        return self.decoder(self.encoder(x)).reshape(-1, 1, 28, 28)
        # END SOLUTION


def anomaly_scores(model, images, batch_size=1000):
    """s(X) = ||X - model(X)||^2 summed over the pixels of each image, without gradients."""
    # BEGIN SOLUTION: squared reconstruction error per image
    scores = []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            x = images[start:start + batch_size]
            scores.append((x - model(x)).pow(2).flatten(1).sum(1))
    return torch.cat(scores)
    # END SOLUTION


def threshold(validation_scores):
    """mean + 3 std of the validation scores (population std, over the whole set)."""
    # BEGIN SOLUTION: population standard deviation (unbiased=False)
    return (validation_scores.mean() + 3 * validation_scores.std(unbiased=False)).item()
    # END SOLUTION


if __name__ == "__main__":
    from mfdnn import data

    torch.manual_seed(0)
    images = data.load("mnist", "train").float01()
    train, validation = random_split(TensorDataset(images), [50000, 10000])
    train_images = images[torch.tensor(train.indices)]
    validation_images = images[torch.tensor(validation.indices)]
    model = Autoencoder()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = DataLoader(TensorDataset(train_images), batch_size=100, shuffle=True)
    for epoch in range(10):
        for (x,) in loader:
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(x), x)
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.5f}")
    limit = threshold(anomaly_scores(model, validation_images))
    test = anomaly_scores(model, data.load("mnist", "test").float01())
    anomalies = anomaly_scores(model, data.load("fashion-mnist", "test").float01())
    print(f"threshold {limit:.3f}")
    print(f"{(test > limit).sum().item()} type I errors among {len(test)} data")
    print(f"{(anomalies <= limit).sum().item()} type II errors among {len(anomalies)} data")
