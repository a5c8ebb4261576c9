"""What the engine reports while it runs, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Progress:
    """Sent to the progress callback after every iteration (every --sync-every on GPUs)."""

    iteration: int  # 1-based, within the current stage
    total: int  # iterations of the current stage
    loss: float  # weighted total
    losses: dict  # weighted terms: content, style, tv (and others a mode adds)
    elapsed: float  # seconds since the run started
    preview: np.ndarray | None = None  # uint8 (H, W, 3) every `preview_every` iterations
    stage: str = "style"  # name of the current stage ("style", "256 px", "photoreal", ...)
    stage_index: int = 0
    stages: int = 1
    fraction: float = 0.0  # of the whole run's work, stages weighted by pixels x iterations


@dataclass
class Result:
    image: np.ndarray  # float32 (H, W, 3) in [0, 1]: the best image seen
    loss: float
    iterations: int
    cancelled: bool = False
    stopped_reason: str = ""  # why a run ended early ("cancelled", "loss became NaN")
    history: list = field(default_factory=list)  # total loss per iteration
    evaluations: int = 0  # forward+backward passes (L-BFGS line search may take several per iteration)
    alpha: np.ndarray | None = None  # the content image's alpha, re-attached on save
    notes: list = field(default_factory=list)  # fall-backs the run took (e.g. a shorter L-BFGS memory)
