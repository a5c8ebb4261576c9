"""What opens as a video rather than a picture, for File ▸ Open video's
filter, a drop and File ▸ Open recent: a video file, a folder (of numbered
frames), and a GIF with more than one frame. A one-frame GIF is a picture."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from engine.video.frames import VIDEO_SUFFIXES

VIDEO_FILTER = "Videos (*.mp4 *.mov *.mkv *.webm *.gif *.avi);;All files (*)"


def is_video_path(path: str | None) -> bool:
    """A video file, a folder, or an animated GIF: opened as a video, not as a photo."""
    if not path:
        return False
    p = Path(path)
    if p.is_dir():
        return True
    suffix = p.suffix.lower()
    return is_animated_gif(p) if suffix == ".gif" else suffix in VIDEO_SUFFIXES


def is_animated_gif(path: Path) -> bool:
    """Whether the GIF at `path` has more than one frame (Pillow reads only its headers and frame table)."""
    try:
        with Image.open(path) as im:
            return getattr(im, "n_frames", 1) > 1
    except (OSError, ValueError):  # unreadable: the picture opener says why in one sentence
        return False
