"""Frames of a video on demand, off the GUI thread.

`FrameDecoder` gives frame k of an engine `VideoSource`, decoding forward
from where it last stopped (the slider and the player mostly move forward)
and keeping the last few frames; `FrameLoader` runs it on its own thread
and sends each frame back as a numpy array, so a long jump never freezes
the window. Requests coalesce: only the newest one waiting is decoded.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QThread, Signal

from .worker import LIVE_THREADS

KEEP_FRAMES = 8  # decoded frames kept for going back and forth on the slider


class FrameDecoder:
    """Frame k of `source` (an engine VideoSource): RGB float32 (H, W, 3)."""

    def __init__(self, source, keep: int = KEEP_FRAMES):
        self.source, self.keep = source, keep
        self._kept: OrderedDict[int, np.ndarray] = OrderedDict()
        self._reader = None  # the open decoder, positioned at frame self._next
        self._next = 0

    def frame(self, k: int) -> np.ndarray:
        if not 0 <= k < self.source.count:
            raise IndexError(f"frame {k + 1} is outside the video's {self.source.count} frames")
        if k in self._kept:
            self._kept.move_to_end(k)
            return self._kept[k]
        if self._reader is None or k < self._next:
            self.close()
            self._reader, self._next = self.source.read(k), k  # decodes from the start, up to k, once
        while self._next <= k:
            rgb = next(self._reader)
            self._remember(self._next, rgb)
            self._next += 1
        return self._kept[k]

    def _remember(self, k: int, rgb: np.ndarray) -> None:
        self._kept[k] = rgb
        while len(self._kept) > self.keep:
            self._kept.popitem(last=False)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()  # closes the container
            self._reader = None


class FrameLoader(QThread):
    """Decodes requested frames on its own thread; `frame_ready(k, rgb)` on the GUI thread."""

    frame_ready = Signal(int, object)
    failed = Signal(str)

    def __init__(self, source):
        super().__init__()  # no parent: Python owns it, so a parent's deletion never destroys it running
        self.setObjectName("video-frames")
        self.source = source
        self._decoder = FrameDecoder(source)
        self._wake = threading.Condition()
        self._wanted: int | None = None
        self._closing = False
        LIVE_THREADS.add(self)

    def request(self, k: int) -> None:
        """Decode frame k next (replacing any request still waiting)."""
        with self._wake:
            self._wanted, self._closing = k, False
            self._wake.notify()
        if not self.isRunning():
            self.start()

    def run(self) -> None:
        while (k := self._next_request()) is not None:
            try:
                rgb = self._decoder.frame(k)
            except Exception as exc:  # one sentence in the window; the thread stays ready for the next request
                self.failed.emit(f"Frame {k + 1} of {self.source.path.name} could not be decoded ({exc or type(exc).__name__}); "
                                 "try another frame, or convert the video to .mp4.")
                self._decoder.close()
                continue
            self.frame_ready.emit(k, rgb)
        self._decoder.close()

    def _next_request(self) -> int | None:
        with self._wake:
            while self._wanted is None and not self._closing:
                self._wake.wait()
            if self._closing:
                return None
            k, self._wanted = self._wanted, None
            return k

    def close(self) -> None:
        """Stop after the frame in hand and wait for the thread (never terminated)."""
        with self._wake:
            self._closing, self._wanted = True, None
            self._wake.notify()
        self.wait()
