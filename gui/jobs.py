"""The work the worker thread does: a style-transfer run, an export and the AdaIN preview.

Each function returns a task ``task(report, should_stop) -> result`` for
:class:`gui.worker.RunController`.
"""

from __future__ import annotations

import math

import numpy as np

from engine.errors import StyleError
from engine.pipeline import estimate
from engine.pipeline.cores import use_every_core
from engine.settings import Settings

WORKER_NICE = 10

# Export refinement: L-BFGS iterations at the refined size (bench/export_speed.py).
# The picture's layout and look are settled; the pass only adds the detail the
# larger size can hold. An fp32 iteration costs ~8 s at 1024 px and ~32 s at
# 2048 px on 2 cores, so a larger pass gets fewer.
EXPORT_FINAL_ITERATIONS = ((1024, 15), (2048, 10), (math.inf, 5))  # (up to long side, iterations)
# VGG's strokes are a fixed number of pixels: refined at 3.5x the approved
# size they are 3.5x smaller in the picture, a fine texture of dots a few
# pixels across that the approved picture does not have (bench/print_export.py).
# So the refinement stops at twice the approved size and Lanczos enlarges the
# rest: the strokes keep the approved picture's scale, in under half the time.
EXPORT_MAX_REFINE = 2
# The refinement sees the painting at 1.5x the usual size (style_scale): its
# strokes softer and larger, so the pass adds detail as strokes, not as dots
# (1.0: dots; 2.0: the detail washes out; bench/print_export.py).
EXPORT_STYLE_SCALE = 1.5


def run_on_every_core() -> None:
    """Torch on all physical cores, at a lower priority than the window.

    Taking a core away halved the speed of a 2-core machine; a nice value of
    10 lets the GUI thread win the CPU whenever it needs it instead.
    """
    use_every_core(WORKER_NICE)


def style_task(
    content: np.ndarray | None,
    styles: list[np.ndarray],
    settings: Settings,
    content_mask: np.ndarray | None = None,
    style_masks: list | None = None,
    init=None,
):
    kwargs = {}
    if content_mask is not None:
        kwargs["content_mask"] = content_mask
        kwargs["style_masks"] = list(style_masks or [None] * len(styles))

    def task(report, should_stop):
        from engine.api import stylize  # local: torch loads in the worker, not at start-up

        run_on_every_core()
        if init is not None:
            kwargs["init"] = init
        return stylize(content, list(styles), settings, progress=report, should_stop=should_stop, **kwargs)

    return task


def export_steps(current_size: int, long_side: int) -> list[tuple[int, int]]:
    """(long side, iterations) of the passes from the approved picture up to `long_side`.

    One refinement pass at up to EXPORT_MAX_REFINE times the approved size;
    a larger export ends with an enlargement only (0 iterations)."""
    refined = min(long_side, current_size * EXPORT_MAX_REFINE)
    steps = [(refined, next(n for limit, n in EXPORT_FINAL_ITERATIONS if refined <= limit))]
    return steps + ([(long_side, 0)] if refined < long_side else [])


def export_time(settings: Settings, current_size: int, long_side: int, content_hw) -> str:
    """Plain words for how long refining the picture up to `long_side` takes ('' for no larger size)."""
    if long_side <= current_size:
        return ""
    steps = export_steps(current_size, long_side)
    return estimate.describe(estimate.export_seconds(steps, content_hw, estimate.current_key(settings)))


def export_settings(settings: Settings, long_side: int, current_size: int, steps=None) -> Settings:
    """Settings that refine the approved picture (passed as init) at the export size; never the whole schedule."""
    steps = steps if steps is not None else export_steps(current_size, long_side)
    return settings.replace(
        quality="custom",
        size=long_side,
        scales=[s for s, _ in steps],
        scale_iterations=[n for _, n in steps],
        photoreal_stage1=0,
        style_scale=settings.style_scale * EXPORT_STYLE_SCALE,
        style_scales=[k * EXPORT_STYLE_SCALE for k in settings.style_scales],
    )


def adain_task(content: np.ndarray, styles: list[np.ndarray], size: int = 384, device: str = "auto"):
    def task(report, should_stop):
        from engine.network.adain import adain_stylize  # local: torch loads in the worker, not at start-up
        from engine.network.device import pick_device  # local: as above

        run_on_every_core()
        try:
            where = pick_device(device)
        except StyleError:
            where = "cpu"  # the preview is a convenience; the real run reports a missing device
        return adain_stylize(content, list(styles), size=size, device=where)

    return task
