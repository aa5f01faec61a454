"""Train / validation splits drawn as ``torch.utils.data.random_split`` draws them.

``random_split(dataset, lengths, generator)`` takes one ``randperm(n)`` from the generator
(the global one by default) and cuts it into consecutive chunks of ``lengths``. Drawing the
same permutation here keeps a seeded run's stream in the course's order without building a
``Dataset``.
"""

from __future__ import annotations

import torch


def random_split_indices(n: int, lengths: tuple[int, ...] | list[int],
                         generator: torch.Generator | None = None) -> list[torch.Tensor]:
    """Index tensors of ``random_split(range(n), lengths, generator)``."""
    if sum(lengths) != n:
        raise ValueError(f"lengths {list(lengths)} do not add up to {n}")
    perm = torch.randperm(n, generator=generator)
    return list(perm.split(list(lengths)))


def validation_split(n: int, val_size: int, generator: torch.Generator | None = None
                     ) -> tuple[torch.Tensor, torch.Tensor]:
    """(train indices, validation indices): ``random_split`` into n - val_size and val_size."""
    train, val = random_split_indices(n, (n - val_size, val_size), generator)
    return train, val
