"""Where the tests find their images: the shared set beside the checkout
(../shared/images, as in CI), else the bundled samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_IMAGES = ROOT.parent / "shared" / "images"
SAMPLES = ROOT / "resources" / "samples"


def image_path(name: str) -> Path:
    for folder in (SHARED_IMAGES, SAMPLES):
        if (folder / name).is_file():
            return folder / name
    pytest.fail(f"test image {name} is in neither {SHARED_IMAGES} nor {SAMPLES}")


def load_small(name: str, size: int) -> np.ndarray:
    from engine.image.io import load_image, resize_long_side

    return resize_long_side(load_image(image_path(name)).rgb, size)
