"""Shared fixtures: the shared test images and small loaded arrays."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED_IMAGES = ROOT.parent / "shared" / "images"
SAMPLES = ROOT / "resources" / "samples"


def image_path(name: str) -> Path:
    """A shared test image, falling back to the bundled samples."""
    for folder in (SHARED_IMAGES, SAMPLES):
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"test image {name} is not available")


@pytest.fixture(scope="session")
def cat_rgb() -> np.ndarray:
    from engine.images import load_image, resize_long_side

    return resize_long_side(load_image(SAMPLES / "chelsea.png").rgb, 96)


@pytest.fixture(scope="session")
def starry_rgb() -> np.ndarray:
    from engine.images import load_image, resize_long_side

    return resize_long_side(load_image(SAMPLES / "van_gogh_starry_night_1889.jpg").rgb, 96)


@pytest.fixture(scope="session")
def wave_rgb() -> np.ndarray:
    from engine.images import load_image, resize_long_side

    return resize_long_side(load_image(SAMPLES / "hokusai_great_wave_off_kanagawa.png").rgb, 96)
