"""The 1-D regression target of HW2 P7 and HW3: f*(x) = (x - 2) cos(4x)."""

from __future__ import annotations

import numpy as np
import torch


def f_star(x: np.ndarray | torch.Tensor) -> np.ndarray | torch.Tensor:
    """(x - 2) cos(4x), for NumPy arrays or tensors."""
    cos = torch.cos if isinstance(x, torch.Tensor) else np.cos
    return (x - 2) * cos(4 * x)
