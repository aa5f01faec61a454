"""Minibatch orders by index, drawn exactly as ``torch.utils.data.DataLoader`` draws them.

The course's programs iterate a ``DataLoader``. Each time one is iterated it consumes the
random generator (the global one unless the loader was given its own):

1. the iterator draws a base seed for workers: one int64 from the generator;
2. a shuffling ``RandomSampler`` takes ``randperm(n)``: from the loader's generator if it
   has one, else from a fresh ``torch.Generator`` seeded with one more int64 drawn from
   the global generator. Run to exhaustion, the sampler then draws one more ``randperm(n)``
   (its tail ``randperm(n)[:num_samples % n]``, empty here); with the loader's own
   generator that draw advances the generator, so we make it too.

:func:`loader_order` makes the same draws, so a loop that indexes tensors on the device
visits the same batches, and leaves the generator in the same state (dropout masks after
it match too), as the course's loop with the same seed. ``tests/train`` checks this
against ``DataLoader`` itself.
"""

from __future__ import annotations

import torch


def _int64(generator: torch.Generator | None) -> int:
    return int(torch.empty((), dtype=torch.int64).random_(generator=generator).item())


def loader_order(n: int, shuffle: bool, generator: torch.Generator | None = None) -> torch.Tensor:
    """The index order of one pass of ``DataLoader(range(n), shuffle=shuffle, generator=...)``."""
    _int64(generator)  # the iterator's base seed
    if not shuffle:
        return torch.arange(n)
    if generator is None:
        generator = torch.Generator()
        generator.manual_seed(_int64(None))  # RandomSampler's seed for its private generator
    order = torch.randperm(n, generator=generator)
    torch.randperm(n, generator=generator)  # the sampler's empty tail
    return order


def consume_loader_seed(generator: torch.Generator | None = None) -> None:
    """The draw an unshuffled ``DataLoader`` makes when iterated (e.g. a test-set loader)."""
    _int64(generator)


def batches(order: torch.Tensor, batch_size: int, drop_last: bool = False) -> list[torch.Tensor]:
    """Consecutive chunks of ``order``; the last one is shorter unless ``drop_last``."""
    n = len(order) - (len(order) % batch_size if drop_last else 0)
    return list(order[:n].split(batch_size))
