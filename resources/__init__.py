"""Locating bundled files, from source and from a PyInstaller bundle alike."""

from __future__ import annotations

import sys
from pathlib import Path

SAMPLES = {
    "content": "samples/chelsea.png",
    "style": "samples/van_gogh_starry_night_1889.jpg",
    "style2": "samples/hokusai_great_wave_off_kanagawa.png",
}


def resource_root() -> Path:
    """resources/ next to this file, or inside the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) / "resources" if frozen else Path(__file__).resolve().parent


def resource(relative: str) -> Path:
    return resource_root() / relative


def sample_path(name: str) -> Path:
    return resource(SAMPLES[name])
