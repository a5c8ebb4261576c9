"""Export Video's render on a worker thread: engine/video's stylize_video
over every frame of the clip, then the video (or the folder of frames) of
the frames done, written in the worker too, so a long encode never freezes
the window.

The thread, Pause/Resume and Stop are gui/worker.py's RunController, used
as it is: Pause parks the render inside should_stop, Stop ends it within an
iteration. A stopped render still writes the frames done, as the command
line does on Ctrl-C, and leaves them cached beside the output so the same
export resumes where it stopped.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engine.settings import Settings
from engine.video.cache import FrameCache
from engine.video.frames import VideoSource, write_rendered
from engine.video.options import VideoOptions

from .jobs import run_on_every_core
from .worker import RunController


@dataclass(frozen=True)
class VideoJob:
    """One export: every frame of `source` into `out` (a video file, or a folder for PNG frames)."""

    source: VideoSource
    out: Path
    styles: list
    settings: Settings
    options: VideoOptions
    cache: FrameCache


@dataclass(frozen=True)
class ExportOutcome:
    done: int  # frames finished, from the first on
    total: int
    stopped: bool
    written: Path | None  # what was written; None when no frame was finished
    cache: Path  # where the finished frames wait while the export is incomplete
    notes: tuple = ()


def render_key(source: VideoSource, styles: list, settings: Settings, options: VideoOptions) -> dict:
    """What makes two exports the same render, for resuming from the cached frames. The window's
    style images may have no file (or a changed one), so their pixels are hashed."""
    digests = [hashlib.sha1(s.tobytes()).hexdigest() for s in styles]
    return {
        "input": str(Path(source.path).resolve()),
        "frames": [0, source.count],
        "styles": digests,
        "settings": settings.to_dict(),
        "video": dataclasses.asdict(options),
    }


def ended_text(outcome: ExportOutcome) -> str:
    """The export strip's last line: where the frames went, or why there are fewer, and the notes."""
    notes = "".join(f" Note: {n}." for n in outcome.notes)
    if not outcome.stopped:
        return f"Saved to {outcome.written} ({outcome.done} frames).{notes}"
    if outcome.written is None:
        return "Stopped before the first frame was finished; nothing was written." + notes
    return (
        f"Stopped after {outcome.done} of {outcome.total} frames; wrote them to {outcome.written}. "
        f"Export again with the same settings to finish (the frames done wait in {outcome.cache}).{notes}"
    )


def export_task(job: VideoJob):
    """A task(report, should_stop) for RunController: FrameProgress and the engine's per-iteration
    Progress both arrive through `report`; returns an ExportOutcome."""

    def task(report, should_stop):
        from engine.video.sequence import stylize_video  # local: torch loads in the worker, not at start-up

        run_on_every_core()
        result = stylize_video(
            job.source.read(),
            job.source.count,
            job.styles,
            job.settings,
            job.options,
            job.cache,
            progress=report,
            on_frame=report,
            should_stop=should_stop,
        )
        notes = list(result.notes)
        if result.done:
            notes += write_rendered(job.out, job.cache, result.done, Fraction(job.source.fps), job.source)
            if result.cancelled:
                job.cache.mark_partial(job.out)  # a later export of the same render may replace it
            else:
                job.cache.remove()
        return ExportOutcome(
            result.done,
            result.total,
            result.cancelled,
            job.out if result.done else None,
            job.cache.folder,
            tuple(notes),
        )

    return task


class VideoExport(QObject):
    """At most one export at a time; its per-frame and per-iteration progress, and how it ended."""

    frame_done = Signal(object)  # engine FrameProgress
    iteration = Signal(object)  # engine Progress of the frame in hand
    preview = Signal(object)  # uint8 (H, W, 3) of the frame in hand
    ended = Signal(object)  # ExportOutcome, finished or stopped
    failed = Signal(object)  # the exception
    busy_changed = Signal(bool, bool, bool)  # running, stopping, paused

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.controller = RunController(self)
        c = self.controller
        c.progress.connect(self._on_progress)
        c.preview.connect(self.preview)
        c.finished.connect(self.ended)
        c.cancelled.connect(self.ended)
        c.failed.connect(self.failed)
        c.idle.connect(self._sync)

    def is_running(self) -> bool:
        return self.controller.is_running()

    def start(self, job: VideoJob) -> None:
        self.controller.start(export_task(job))
        self._sync()

    def toggle_pause(self) -> None:
        if self.controller.is_running() and not self.controller.is_stopping():
            self.controller.set_paused(not self.controller.is_paused())
            self._sync()

    def stop(self) -> None:
        """Ends within an iteration; the frames done are still written."""
        if self.controller.is_running() and not self.controller.is_stopping():
            self.controller.stop()
            self._sync()

    def shutdown(self) -> None:
        """Stop and wait for the thread (the frames done are written before it ends)."""
        self.controller.shutdown()
        self._sync()

    def _on_progress(self, value) -> None:
        (self.frame_done if hasattr(value, "done") else self.iteration).emit(value)

    def _sync(self) -> None:
        c = self.controller
        running = c.is_running()
        self.busy_changed.emit(running, running and c.is_stopping(), running and c.is_paused())
