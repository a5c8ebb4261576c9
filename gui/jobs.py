"""The work the worker thread does: a style-transfer run and the AdaIN preview.

Each function returns a task ``task(report, should_stop) -> result`` for
:class:`gui.worker.RunController`.
"""
from __future__ import annotations

import os
import threading

import numpy as np

from engine.settings import Settings

WORKER_NICE = 10


def leave_a_core_for_the_window() -> None:
    """Torch's intra-op threads on all cores starve the GUI thread on small machines."""
    import torch

    cores = os.cpu_count() or 1
    torch.set_num_threads(max(1, cores - 1))
    # Linux gives each thread its own nice value: the worker yields the CPU
    # to the GUI thread whenever both want it. Best effort elsewhere.
    if hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
        except OSError:
            pass


def style_task(content: np.ndarray | None, styles: list[np.ndarray], settings: Settings,
               content_mask: np.ndarray | None = None, style_masks: list | None = None, init=None):
    kwargs = {} if init is None else {"init": init}
    if content_mask is not None:
        kwargs["content_mask"] = content_mask
        kwargs["style_masks"] = list(style_masks or [None] * len(styles))

    def task(report, should_stop):
        from engine.transfer import stylize

        leave_a_core_for_the_window()
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

        leave_a_core_for_the_window()
        return adain_stylize(content, list(styles), size=size, device=device)

    return task
