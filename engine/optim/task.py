"""What the pipeline hands to the optimiser: one pass as one frozen value."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..losses.objective import Objective
from ..settings import Settings


@dataclass(frozen=True)
class Task:
    """One pass of the optimisation.

    The objective holds the pass's targets and masks (built once, frozen);
    `start` is the initial image at the pass's size; `settings` gives the
    step rule and its options (optimizer, learning rate, L-BFGS history,
    compile, previews, sync interval). `converge` = (window, tolerance) ends
    the pass early when the loss settles (engine.pipeline.stages)."""

    objective: Objective
    start: torch.Tensor
    settings: Settings
    iterations: int
    name: str = "style"
    index: int = 0
    count: int = 1
    converge: tuple[int, float] = (0, 0.0)
