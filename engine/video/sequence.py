"""A video, frame by frame (Ruder, Dosovitskiy & Brox 2016, short-term
consistency): the first frame gets the full schedule; every later frame
starts from the previous stylised frame warped along the optical flow and
runs a short single pass at full size, held to that warp by the temporal
loss (engine/losses/temporal.py) where the flow is reliable.

Departure from the paper: Ruder et al. run hundreds of iterations per frame
from the warped start; here a few suffice because only the disoccluded
edges and what the flow got wrong need new strokes.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..image.io import resize_to
from ..losses.temporal import TemporalTarget
from ..pipeline.estimate import planned_work
from ..pipeline.run import stylize
from ..pipeline.stages import output_size
from ..settings import Settings
from .cache import FrameCache
from .flow import flows, warp
from .options import VideoOptions


@dataclass(frozen=True)
class FrameProgress:
    """Sent after every frame."""

    done: int  # frames finished, cached ones included
    total: int
    seconds: float  # this frame's time (0 for a cached one)
    eta: float  # seconds left, from the later frames' pace
    cached: bool = False


@dataclass
class VideoResult:
    done: int  # frames finished, from the first on
    total: int
    cancelled: bool = False
    notes: list = dataclasses.field(default_factory=list)


def later_settings(settings: Settings, options: VideoOptions) -> Settings:
    """A later frame's run: one pass at the output's size."""
    return settings.replace(
        quality="custom",
        scales=[],
        scale_iterations=[],
        size=settings.output_size,
        iterations=options.frame_iterations,
        init="content",
    )


def stylize_video(
    frames,
    total: int,
    styles: list,
    settings: Settings,
    options: VideoOptions,
    cache: FrameCache,
    *,
    progress: Callable | None = None,
    on_frame: Callable[[FrameProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> VideoResult:
    """Stylise `total` RGB float frames (an iterable) into `cache`, resuming
    from the frames already there; a stop keeps every finished frame."""
    result = VideoResult(0, total)
    later = later_settings(settings, options)
    previous, times = None, []  # (input, stylised) of the frame before; later frames' seconds
    for k, rgb in enumerate(frames):
        rgb = resize_to(rgb, output_size(rgb, [], settings.output_size))
        image, start = cache.load(k), time.monotonic()
        cached = image is not None
        if not cached:
            run = _frame(rgb, previous, styles, settings, later, options, progress, should_stop)
            result.notes += [n for n in run.notes if n not in result.notes]
            if run.cancelled:
                result.cancelled = True
                break
            image = run.image
            cache.save(k, image)
        seconds = 0.0 if cached else time.monotonic() - start
        if k and not cached:
            times.append(seconds)
        previous, result.done = (rgb, image), k + 1
        if on_frame is not None:
            pace = float(np.mean(times)) if times else seconds * _later_share(settings, later, rgb.shape[:2])
            on_frame(FrameProgress(k + 1, total, seconds, pace * (total - k - 1), cached))
        if should_stop is not None and should_stop() and k + 1 < total:
            result.cancelled = True
            break
    return result


def _later_share(settings: Settings, later: Settings, hw) -> float:
    """A later frame's work as a share of the first frame's (pixel-iterations), so that the ETA
    after frame 1 is not that frame's full schedule times the frames left (4:23 for 0:50 here)."""
    first = planned_work(settings, hw)
    return min(1.0, planned_work(later, hw) / first) if first > 0 else 1.0


def _frame(rgb, previous, styles, settings, later, options, progress, should_stop):
    """One frame: alone, or from the warped previous result under the temporal term."""
    if previous is None or options.temporal_weight <= 0:
        return stylize(rgb, styles, settings, progress=progress, should_stop=should_stop)
    backward, reliable = flows(previous[0], rgb, options.flow)
    warped = np.clip(warp(previous[1], backward), 0, 1)
    target = TemporalTarget(warped, reliable, options.temporal_weight)
    return stylize(rgb, styles, later, progress=progress, should_stop=should_stop, init=warped, temporal=target)
