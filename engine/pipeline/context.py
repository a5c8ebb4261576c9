"""The values a run passes between its stages: its inputs and its controls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from ..settings import Settings


@dataclass(frozen=True)
class Inputs:
    """The run's images after colour control, the masks' labels
    ((content mask, [style masks]) or None) and a video frame's temporal
    target (losses.temporal.TemporalTarget or None)."""

    content: np.ndarray | None
    styles: list
    labels: tuple | None = None
    temporal: object = None


@dataclass(frozen=True)
class Controls:
    """Where a run computes and how it reports and stops."""

    settings: Settings
    device: torch.device
    dtype: torch.dtype
    progress: Callable | None = None
    should_stop: Callable[[], bool] | None = None
