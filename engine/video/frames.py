"""Frames in and out: a video file (decoded by PyAV, no ffmpeg binary) or a
folder of numbered images, and an encoded video written atomically, with
the input's audio copied across when the container takes it."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

try:
    import av
except ImportError:  # the video extra; cli/video.py calls libs.require_video_libs() first
    av = None
import numpy as np

from ..errors import StyleError
from ..image.io import load_image
from .audio import add_audio

VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm", ".gif", ".avi")
FRAME_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
FOLDER_FPS = Fraction(25)  # a folder of frames carries no rate
# Encoders by container, best first: H.264 where this PyAV build has it.
CODECS = {".webm": ("libvpx-vp9", "libvpx"), ".gif": ("gif",)}
DEFAULT_CODECS = ("libx264", "mpeg4")


@dataclass(frozen=True)
class VideoSource:
    """An input's frames, counted but not decoded: `read(first, last)` yields
    RGB float32 frames first..last-1 (0-based)."""

    path: Path
    count: int
    fps: Fraction
    files: tuple = ()  # the frames of a folder, in order
    audio: bool = False

    def read(self, first: int = 0, last: int | None = None) -> Iterator[np.ndarray]:
        last = self.count if last is None else last
        if self.files:
            for f in self.files[first:last]:
                yield load_image(f, "Frame").rgb
            return
        i = first
        try:
            with av.open(str(self.path)) as container:
                for i, frame in enumerate(container.decode(container.streams.video[0])):
                    if i >= last:
                        break
                    if i >= first:
                        yield frame.to_ndarray(format="rgb24").astype(np.float32) / 255.0
        except (av.FFmpegError, OSError) as exc:  # a damaged file decodes its header but not its frames
            raise StyleError(
                f"Frame {i + 1} of {self.path} cannot be decoded ({exc.strerror or exc}); the file is damaged "
                "or not a video: export it again or give a folder of numbered frames."
            ) from None


def open_source(path: str | Path) -> VideoSource:
    """The frames of a video file or a folder of numbered images; StyleError
    naming the file when there are none or it cannot be read."""
    path = Path(path)
    if path.is_dir():
        return _folder(path)
    if not path.is_file():
        raise StyleError(f"Input {path} does not exist; give a video file or a folder of numbered frames.")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise StyleError(f"{path} holds no video stream; give a video file or a folder of numbered frames.")
            stream = container.streams.video[0]
            count = sum(1 for packet in container.demux(stream) if packet.size)
            fps = stream.average_rate or stream.guessed_rate or FOLDER_FPS
            audio = bool(container.streams.audio)
    except (av.FFmpegError, OSError, UnicodeDecodeError):
        raise StyleError(
            f"{path} is not a video PyAV can read; give an .mp4, .mov, .mkv, .webm or .gif file "
            "or a folder of numbered frames."
        ) from None
    if count == 0:
        raise StyleError(f"{path} holds no video frames; give another video.")
    return VideoSource(path, count, Fraction(fps), audio=audio)


def _folder(path: Path) -> VideoSource:
    numbered = []
    for f in path.iterdir():
        digits = re.findall(r"\d+", f.stem)
        if f.suffix.lower() in FRAME_SUFFIXES and digits and f.is_file():
            numbered.append((int(digits[-1]), f.name, f))
    if not numbered:
        raise StyleError(
            f"Folder {path} holds no numbered frames (such as frame_0001.png); "
            f"give a folder of {', '.join(FRAME_SUFFIXES)} images or a video file."
        )
    files = tuple(f for _, _, f in sorted(numbered))
    return VideoSource(path, len(files), FOLDER_FPS, files)


def pick_codec(out: Path) -> str:
    """The encoder for `out`'s container; StyleError if this PyAV has none."""
    for name in CODECS.get(out.suffix.lower(), DEFAULT_CODECS):
        try:
            av.Codec(name, "w")
            return name
        except (av.FFmpegError, ValueError):
            continue
    raise StyleError(f"This PyAV build cannot encode {out.suffix} video; write .mp4 or a folder of frames instead.")


def write_video(
    out: Path,
    frames: Iterable[np.ndarray],
    fps: Fraction,
    *,
    audio_from: VideoSource | None = None,
    span: tuple[float, float] | None = None,
) -> list[str]:
    """Encode RGB float frames into `out` atomically (a temporary file beside
    it, then a rename). With `audio_from`, its first audio stream is copied,
    cut to `span` (start, end) seconds (re-encoded where the container needs another codec).
    Returns notes on what was left out or changed."""
    codec = pick_codec(out)
    fd, tmp = tempfile.mkstemp(prefix=".nss-", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    notes: list[str] = []
    source = av.open(str(audio_from.path)) if audio_from is not None and audio_from.audio else None
    try:
        with av.open(tmp, "w", format=_format(out)) as container:
            stream = container.add_stream(codec, rate=fps)
            sound = add_audio(source, container, notes) if source is not None else None
            _encode(container, stream, frames, codec)
            if sound is not None:
                sound.write(source, container, span)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        if source is not None:
            source.close()
    return notes


def _format(out: Path) -> str | None:
    return {".mkv": "matroska", ".mov": "mov", ".mp4": "mp4", ".webm": "webm", ".gif": "gif", ".avi": "avi"}.get(
        out.suffix.lower()
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _encode(container, stream, frames: Iterable[np.ndarray], codec: str) -> None:
    for k, rgb in enumerate(frames):
        h, w = rgb.shape[:2]
        if codec != "gif":  # 4:2:0 chroma needs even sides: the odd last row or column is left out
            h, w = h - h % 2, w - w % 2
        if k == 0:  # a new stream says 640 x 480 until told otherwise
            stream.width, stream.height = w, h
            stream.pix_fmt = "rgb8" if codec == "gif" else "yuv420p"
        pixels = (np.clip(rgb[:h, :w], 0, 1) * 255 + 0.5).astype(np.uint8)
        for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def write_rendered(out: Path, cache, count: int, fps: Fraction, source: VideoSource, first: int = 0) -> list[str]:
    """The first `count` frames of `cache` as the video OUT (with the input's sound over the same span,
    starting at the input's frame `first`) or as a folder of PNG frames, atomically; returns notes on
    what was left out or changed. An existing OUT folder is replaced: the caller has asked, or it is
    this render's own partial result."""
    if out.suffix.lower() in VIDEO_SUFFIXES:
        start = first / float(source.fps)
        span = (start, start + count / float(source.fps))
        return write_video(out, cache.frames(count), fps, audio_from=None if source.files else source, span=span)
    tmp = Path(tempfile.mkdtemp(prefix=".nss-", dir=out.parent))
    try:
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the frames are an ordinary folder
        for k in range(count):
            shutil.copyfile(cache.path(k), tmp / f"frame_{k + 1:06d}.png")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return []
