"""Tiny test clips: a slow pan over a shared photo (crop windows shifted a
few pixels per frame), written with PyAV."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def pan_frames(rgb: np.ndarray, count: int, side: int, step: int = 2) -> list[np.ndarray]:
    """`count` side x side crops of `rgb`, each `step` px right of the one before."""
    top = (rgb.shape[0] - side) // 2
    return [rgb[top : top + side, k * step : k * step + side] for k in range(count)]


def write_clip(path: Path, frames: list[np.ndarray], fps: int = 12, audio: bool = False) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=Fraction(fps))
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "10"}
        sound = container.add_stream("aac", rate=16000) if audio else None
        for rgb in frames:
            pixels = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode())
        if sound is not None:
            _tone(container, sound, len(frames) / fps)
    return path


def _tone(container, stream, seconds: float) -> None:
    t = np.arange(int(16000 * seconds)) / 16000
    samples = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None]
    frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
    frame.sample_rate = 16000
    container.mux(stream.encode(frame))
    container.mux(stream.encode())
