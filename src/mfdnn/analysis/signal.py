"""How the size of the signal changes through a deep network, layer by layer.

Forward: the standard deviation of every activation layer's output on a batch. Backward: the
standard deviation of the gradient with respect to each of those outputs, for a random
upstream gradient of unit variance at the network's output. With a good initialisation
(Chapter 3b) both stay of the same order from the first layer to the last.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def layer_stds(model: nn.Module, x: Tensor, kinds: tuple[type, ...] = (nn.Tanh, nn.ReLU),
               generator: torch.Generator | None = None) -> tuple[list[float], list[float]]:
    """(forward stds, backward stds) at the outputs of the ``kinds`` modules, in order."""
    outputs: list[Tensor] = []

    def keep(module: nn.Module, inputs: tuple, output: Tensor) -> None:
        output.retain_grad()
        outputs.append(output)

    handles = [m.register_forward_hook(keep) for m in model.modules() if isinstance(m, kinds)]
    try:
        y = model(x)
        upstream = torch.randn(y.shape, generator=generator, dtype=y.dtype).to(y.device)
        y.backward(upstream)
    finally:
        for h in handles:
            h.remove()
    forward = [o.detach().std().item() for o in outputs]
    backward = [o.grad.std().item() if o.grad is not None else 0.0 for o in outputs]
    return forward, backward
