"""The HW9 autoencoder: layers, parameter count, output range, the anomaly score."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from mfdnn.models.autoencoder import MLPAutoencoder, reconstruction_loss, reconstruction_scores

pytestmark = pytest.mark.hw9


def test_layers_and_parameter_count():
    model = MLPAutoencoder()
    linear = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linear] == [
        (784, 256), (256, 128), (128, 32), (32, 128), (128, 256), (256, 784)]
    expected = sum(a * b + b for a, b in ((784, 256), (256, 128), (128, 32)))
    expected += sum(a * b + b for a, b in ((32, 128), (128, 256), (256, 784)))
    assert sum(p.numel() for p in model.parameters()) == expected
    # ReLU after every encoder layer, the code included; sigmoid only at the very end
    assert isinstance(model.encoder[-1], nn.ReLU)
    assert isinstance(model.decoder[-1], nn.Sigmoid)
    assert sum(isinstance(m, nn.Sigmoid) for m in model.modules()) == 1


def test_output_shape_range_and_scores():
    torch.manual_seed(0)
    model = MLPAutoencoder()
    x = torch.rand(5, 1, 28, 28)
    out = model(x)
    assert out.shape == x.shape and (out > 0).all() and (out < 1).all()
    scores = reconstruction_scores(model, x, batch_size=2)
    torch.testing.assert_close(scores, ((out - x) ** 2).flatten(1).sum(1))
    # the MSE loss is the same error averaged over pixels and batch
    torch.testing.assert_close(reconstruction_loss(model, x), scores.mean() / 784)


def test_a_few_steps_reduce_the_loss():
    torch.manual_seed(0)
    model = MLPAutoencoder()
    x = torch.rand(4, 1, 28, 28).repeat(8, 1, 1, 1)  # four images to memorise
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    first = reconstruction_loss(model, x).item()
    for _ in range(50):
        loss = reconstruction_loss(model, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert reconstruction_loss(model, x).item() < 0.5 * first
