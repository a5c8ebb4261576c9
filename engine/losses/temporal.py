"""The short-term temporal loss of Ruder, Dosovitskiy & Brox 2016 ("Artistic
style transfer for videos", eq. 7): the stylised frame x should equal the
previous stylised frame warped along the optical flow, w, wherever the flow
is reliable (c = 1; c = 0 at disocclusions and motion boundaries):

    L_temporal = 1/D * sum_k c_k (x_k - w_k)^2,  D = W * H * 3,

a mean over pixels and channels like every other term here. The flow and c
come from engine/video/flow.py; the loss only needs the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class TemporalTarget:
    """What a frame is held to: the previous stylised frame warped into it,
    where that warp can be trusted, and how much it weighs."""

    warped: np.ndarray  # float32 (H, W, 3) in [0, 1]
    reliable: np.ndarray  # float32 (H, W): c, 1 where the flow is trusted
    weight: float  # relative to content weight + style weight (see objective.Balance)


def temporal_loss(image: torch.Tensor, warped: torch.Tensor, reliable: torch.Tensor) -> torch.Tensor:
    """mean(c * (x - w)^2) over pixels and channels; image and warped (B, 3, H, W), reliable (B, 1, H, W)."""
    return (reliable * (image.float() - warped).pow(2)).mean()
