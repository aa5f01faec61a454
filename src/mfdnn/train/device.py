"""Choosing the device: ``auto`` picks CUDA, then Apple's MPS, then the CPU."""

from __future__ import annotations

import torch

from mfdnn.errors import ConfigError

DEVICES = ("auto", "cpu", "cuda", "mps")


def _mps_available() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


def resolve_device(name: str = "auto") -> torch.device:
    """Turn ``auto|cpu|cuda|mps`` (or ``cuda:1``) into a usable :class:`torch.device`."""
    kind = name.split(":")[0]
    if kind not in DEVICES:
        raise ConfigError(f"unknown device '{name}'; choose from {', '.join(DEVICES)}")
    if kind == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    if kind == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device 'cuda' requested but torch sees no CUDA GPU; use --device cpu")
    if kind == "mps" and not _mps_available():
        raise ConfigError("device 'mps' requested but it is not available; use --device cpu")
    return torch.device(name)


def bf16_autocast_supported(device: torch.device) -> bool:
    """Whether bf16 autocast pays on ``device``: any CUDA GPU, and CPUs with native bf16
    arithmetic (AVX512-BF16 or AMX, where oneDNN's bf16 matrix products run several times
    faster than fp32); elsewhere it would emulate bf16 and be slower than fp32."""
    if device.type == "cuda":
        return True
    if device.type != "cpu":
        return False
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False
