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

# Export refinement: L-BFGS iterations at each size on the way up from the
# approved picture (bench/export_speed.py). The picture's layout and look are
# settled; these passes only add the detail the larger size can hold. An fp32
# iteration costs ~8 s at 1024 px and ~32 s at 2048 px on 2 cores, so the
# last pass of a 2048 px export gets fewer, and sizes in between get few.
EXPORT_FINAL_ITERATIONS = ((1024, 15), (2048, 10), (math.inf, 5))  # (up to long side, iterations)
EXPORT_STEP_ITERATIONS = 6  # each intermediate doubling


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
    """(long side, iterations) of the refinement passes from the approved picture up to `long_side`.

    Doubling more than once goes through the sizes in between, each with a
    few iterations, so the largest (dearest) pass starts close to its answer."""
    sizes = []
    size = current_size
    while size * 2 < long_side:
        size *= 2
        sizes.append(size)
    steps = [(s, EXPORT_STEP_ITERATIONS) for s in sizes]
    final = next(n for limit, n in EXPORT_FINAL_ITERATIONS if long_side <= limit)
    return steps + [(long_side, final)]


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
