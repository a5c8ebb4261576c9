"""torch.compile for the loss, where the user asks for it (--compile on).

Compiling VGG-19's forward and backward takes tens of seconds and is redone
for every new image size, so it only pays for long runs on a GPU; off is
the default. A compiler that fails (no C compiler on the CPU, no Triton on
the GPU, a frozen app without either) costs nothing but a note: the run
goes on eagerly.
"""

from __future__ import annotations

import torch


class LossTerms:
    """objective.terms, compiled when settings.compile is on."""

    def __init__(self, objective, settings):
        self.eager = objective.terms
        self.fn = torch.compile(objective.terms, dynamic=False) if settings.compile == "on" else None
        self.note = ""

    def __call__(self, x: torch.Tensor) -> dict:
        if self.fn is None:
            return self.eager(x)
        try:
            return self.fn(x)
        except Exception as e:  # noqa: BLE001 - any compiler failure falls back to eager
            self.fn = None
            first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
            self.note = f"torch.compile failed ({first}); the run went on without it"
            return self.eager(x)
