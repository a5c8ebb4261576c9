"""Images between numpy (H, W, 3) float arrays and torch (1, 3, H, W) tensors."""

from __future__ import annotations

import numpy as np
import torch


def to_tensor(rgb: np.ndarray, device: torch.device) -> torch.Tensor:
    t = torch.from_numpy(np.ascontiguousarray(rgb, dtype=np.float32)).permute(2, 0, 1)[None]
    return t.to(device).contiguous()


def to_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().float().clamp(0, 1)[0].permute(1, 2, 0).cpu().numpy()


def to_uint8(t: torch.Tensor) -> np.ndarray:
    """A preview: the image as 8-bit RGB."""
    return (to_numpy(t) * 255 + 0.5).astype(np.uint8)
