"""Shared fixtures: the shared test images and small loaded arrays."""

from __future__ import annotations

import os

import numpy as np
import pytest

from engine import openmp

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
openmp.apply()  # the suite's torch waits as the app's does: the tests share 2 cores with other work

from testimages import SAMPLES, image_path, load_small  # noqa: E402, F401  (after the environment; re-exported)


@pytest.fixture(scope="session", autouse=True)
def own_cache_dir(tmp_path_factory):
    """Hash verdicts and measured speeds go to a temporary cache, never the user's."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def cat_rgb() -> np.ndarray:
    from engine.image.io import load_image, resize_long_side

    return resize_long_side(load_image(SAMPLES / "chelsea.png").rgb, 96)


@pytest.fixture(scope="session")
def starry_rgb() -> np.ndarray:
    from engine.image.io import load_image, resize_long_side

    return resize_long_side(load_image(SAMPLES / "van_gogh_starry_night_1889.jpg").rgb, 96)


@pytest.fixture(scope="session")
def wave_rgb() -> np.ndarray:
    from engine.image.io import load_image, resize_long_side

    return resize_long_side(load_image(SAMPLES / "hokusai_great_wave_off_kanagawa.png").rgb, 96)
