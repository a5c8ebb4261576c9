"""The work the worker thread does: a style-transfer run and the AdaIN preview.

Each function returns a task ``task(report, should_stop) -> result`` for
:class:`gui.worker.RunController`.
"""
from __future__ import annotations

import numpy as np

from engine.settings import Settings

WORKER_NICE = 10


def run_on_every_core() -> None:
    """Torch on all physical cores, at a lower priority than the window.

    Taking a core away halved the speed of a 2-core machine; a nice value of
    10 lets the GUI thread win the CPU whenever it needs it instead.
    """
    from engine.cores import use_every_core

    use_every_core(WORKER_NICE)


def style_task(content: np.ndarray | None, styles: list[np.ndarray], settings: Settings,
               content_mask: np.ndarray | None = None, style_masks: list | None = None, init=None):
    kwargs = {} if init is None else {"init": init}
    if content_mask is not None:
        kwargs["content_mask"] = content_mask
        kwargs["style_masks"] = list(style_masks or [None] * len(styles))

    def task(report, should_stop):
        from engine.transfer import stylize

        run_on_every_core()
        return stylize(content, list(styles), settings, progress=report, should_stop=should_stop, **kwargs)

    return task


def export_settings(settings: Settings, long_side: int, current_size: int) -> Settings:
    """Settings for a high-resolution export: coarse-to-fine up from the preview size."""
    if long_side > current_size:
        steps = [current_size]
        while steps[-1] * 2 < long_side:
            steps.append(steps[-1] * 2)
        steps.append(long_side)
        return settings.replace(size=long_side, scales=steps)
    return settings.replace(size=long_side)




def adain_task(content: np.ndarray, styles: list[np.ndarray], size: int = 384, device: str = "cpu"):
    def task(report, should_stop):
        from engine.adain import adain_stylize

        run_on_every_core()
        return adain_stylize(content, list(styles), size=size, device=device)

    return task
