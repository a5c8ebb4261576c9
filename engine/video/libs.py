"""PyAV and OpenCV are the `video` extra: the rest of the engine runs without them."""

from __future__ import annotations

import importlib.util
import sys

from ..errors import StyleError


def require_video_libs(what: str = "main.py video") -> None:
    """One sentence naming what to install when PyAV or OpenCV is missing.

    A frozen bundle cannot pip install: its sentence names the build that carries them.
    """
    missing = [
        pip
        for module, pip in (("av", "av"), ("cv2", "opencv-python-headless"))
        if importlib.util.find_spec(module) is None
    ]
    if not missing:
        return
    if getattr(sys, "frozen", False):
        raise StyleError(
            f"{what} needs PyAV and OpenCV, which this download leaves out to stay small; build the "
            "app with 'make app VIDEO=1', or run it from source with 'make run', which has them."
        )
    raise StyleError(
        f"{what} needs {' and '.join(missing)}, which this installation lacks; "
        f"install {'them' if len(missing) > 1 else 'it'} with: pip install {' '.join(missing)} "
        "(or pip install '.[video]')."
    )
