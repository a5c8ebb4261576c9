"""Frames of a video on demand, off the GUI thread.

`FrameDecoder` gives frame k of an engine `VideoSource`, decoding forward
from where it last stopped (the slider and the player mostly move forward),
seeking to a key frame for a jump back or far ahead, and keeping the last
few frames; `FrameLoader` runs it on its own thread
and sends each frame back as a numpy array, so a long jump never freezes
the window. Requests coalesce: only the newest one waiting is decoded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

try:
    import av
except ImportError:  # the video extra: the menu entries say what to install before anything decodes
    av = None
import numpy as np
from PySide6.QtCore import QThread, Signal

from engine.errors import StyleError
from engine.image.io import LoadedImage
from engine.video.frames import open_source
from engine.video.libs import require_video_libs

from .worker import LIVE_THREADS

KEEP_FRAMES = 8  # decoded frames kept for going back and forth on the slider
VIDEO_FRAME = "video_frame"  # the key of a frame's index in its LoadedImage's text table
SEEK_AHEAD = 48  # a jump further ahead than this many frames seeks instead of decoding its way there


class SeekMissed(Exception):
    """The container's index put the seek after the frame wanted."""


def frames_from(path, k: int, fps: float):
    """(index, PyAV frame) pairs of a video file from about frame k on: for k > 0 a seek to the key
    frame at or before k, the index taken from the first frame's time at the constant rate `fps`,
    then counted (as engine/video/frames.py counts from the start)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        start = stream.start_time or 0
        if k > 0:
            container.seek(start + int((k - 0.5) / fps / stream.time_base), stream=stream, backward=True)
        index = None if k > 0 else 0
        for frame in container.decode(stream):
            if index is None:
                if frame.pts is None:
                    raise SeekMissed
                index = round(float((frame.pts - start) * stream.time_base) * fps)
                if index > k:
                    raise SeekMissed
            yield index, frame
            index += 1


class FrameDecoder:
    """Frame k of `source` (an engine VideoSource): RGB float32 (H, W, 3). A file is decoded
    forward from where the last frame was; a jump back, or far ahead, seeks to a key frame first."""

    def __init__(self, source, keep: int = KEEP_FRAMES):
        self.source, self.keep = source, keep
        self._kept: OrderedDict[int, np.ndarray] = OrderedDict()
        self._reader = None  # (index, frame) pairs, the next one being frame self._next
        self._next = 0
        self.decoded = 0  # frames decoded so far (what a seek saves)

    def frame(self, k: int) -> np.ndarray:
        if not 0 <= k < self.source.count:
            raise IndexError(f"frame {k + 1} is outside the video's {self.source.count} frames")
        if k not in self._kept:
            # a folder's frame is its own file
            self._remember(k, next(self.source.read(k, k + 1)) if self.source.files else self._decode(k))
        self._kept.move_to_end(k)
        return self._kept[k]

    def _decode(self, k: int) -> np.ndarray:
        if self._reader is None or not 0 <= k - self._next <= SEEK_AHEAD:
            self.close()
            self._reader = frames_from(self.source.path, k, float(self.source.fps))
        try:
            return self._decode_to(k)
        except SeekMissed:  # decode from the start instead, as the engine does
            self.close()
            self._reader = enumerate(self.source.read(k), start=k)
            return self._decode_to(k)

    def _decode_to(self, k: int) -> np.ndarray:
        for i, frame in self._reader:
            self.decoded += 1
            self._next = i + 1
            if i >= k:
                return (
                    frame
                    if isinstance(frame, np.ndarray)
                    else frame.to_ndarray(format="rgb24").astype(np.float32) / 255.0
                )
        raise IndexError(f"the video ends before frame {k + 1}")

    def _remember(self, k: int, rgb: np.ndarray) -> None:
        self._kept[k] = rgb
        while len(self._kept) > self.keep:
            self._kept.popitem(last=False)

    def close(self) -> None:
        if hasattr(self._reader, "close"):
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
                self.failed.emit(
                    f"Frame {k + 1} of {self.source.path.name} could not be decoded ({exc or type(exc).__name__}); "
                    "try another frame, or convert the video to .mp4."
                )
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


def frame_image(path, rgb: np.ndarray, k: int) -> LoadedImage:
    """Frame k of the video at `path` as the document's content photo; the frame's index rides along
    in its text table, so a saved session can say which frame it was."""
    return LoadedImage(rgb, None, str(path), {VIDEO_FRAME: str(k)})


def frame_index(image: LoadedImage | None) -> int | None:
    """The frame index of a content photo taken from a video, or None for a photo."""
    value = image.text.get(VIDEO_FRAME) if image is not None else None
    return int(value) if value is not None else None


def read_frame_image(path, k: int) -> LoadedImage:
    """Frame k of a video file or folder of frames, read at once (a session reopening it); StyleError
    naming what is missing: the video libraries, the file, or that frame."""
    require_video_libs("A session whose content is a video frame")
    source = open_source(path)
    if not 0 <= k < source.count:
        raise StyleError(f"{source.path.name} has {source.count} frames, so no frame {k + 1}")
    decoder = FrameDecoder(source)
    try:
        return frame_image(source.path, decoder.frame(k), k)
    except Exception as exc:  # PyAV's errors, as FrameLoader.run says them
        raise StyleError(
            f"frame {k + 1} of {source.path.name} could not be decoded ({exc or type(exc).__name__})"
        ) from None
    finally:
        decoder.close()
