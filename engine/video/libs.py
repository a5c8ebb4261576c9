"""PyAV and OpenCV are the `video` extra: the rest of the engine runs without them."""
from __future__ import annotations

import importlib.util

from ..errors import StyleError


def require_video_libs() -> None:
    """One sentence naming what to install when PyAV or OpenCV is missing."""
    missing = [pip for module, pip in (("av", "av"), ("cv2", "opencv-python-headless"))
               if importlib.util.find_spec(module) is None]
    if missing:
        raise StyleError(f"main.py video needs {' and '.join(missing)}, which this installation lacks; "
                         f"install {'them' if len(missing) > 1 else 'it'} with: pip install {' '.join(missing)} "
                         "(or pip install '.[video]').")
