"""Choosing the compute device and the precision the network runs in."""

from __future__ import annotations

import torch

from ..errors import StyleError
from .cpu import cpu_has_fast_bf16


def pick_device(name: str = "auto") -> torch.device:
    """CUDA if present, then Apple MPS, else the CPU; an explicit name is checked."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise StyleError("--device cuda was asked for but no CUDA GPU is available; use --device auto or cpu.")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise StyleError(
            "--device mps was asked for but Apple's Metal backend is not available; use --device auto or cpu."
        )
    if name not in ("cpu", "cuda", "mps"):
        raise StyleError(f"--device must be auto, cpu, cuda or mps, not {name!r}.")
    return torch.device(name)


def pick_precision(device: torch.device, precision: str = "auto") -> torch.dtype:
    if precision == "fp32":
        return torch.float32
    if precision == "bf16":
        return torch.bfloat16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
    if device.type == "cpu" and cpu_has_fast_bf16():
        return torch.bfloat16
    return torch.float32


def configure(device: torch.device) -> None:
    """Global switches that pay on this device (TF32 matmuls on CUDA)."""
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
