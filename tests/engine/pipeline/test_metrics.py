"""The measures the benchmarks report, checked against their definitions."""

import numpy as np
import pytest
from scipy.ndimage import gaussian_filter

from engine.image.io import load_image
from engine.pipeline.metrics import FeatureMeter, clipped_fraction, grid_energy
from resources import sample_path


def test_clipped_fraction_counts_pixels_saved_at_0_or_255():
    img = np.full((10, 10, 3), 0.5, np.float32)
    img[0, :, 0] = 0.0  # 10 pixels with a black channel
    img[1, :5, 2] = 1.2  # 5 past white
    img[2, :5] = 0.999  # rounds to 255
    img[3, :5] = 0.001  # rounds to 0
    assert clipped_fraction(img) == pytest.approx(25 / 100)


def test_grid_energy_finds_a_faint_stride_pattern_on_a_photo():
    cat_rgb = load_image(sample_path("content")).rgb  # full size: 451 x 300
    clean = grid_energy(cat_rgb)
    for period in (2, 4, 8):
        y, x = np.mgrid[: cat_rgb.shape[0], : cat_rgb.shape[1]]
        pattern = (1.5 / 255) * np.cos(2 * np.pi * x / period)[..., None]
        assert grid_energy(np.clip(cat_rgb + pattern, 0, 1)) > 3 * max(clean, 10)
    rng = np.random.default_rng(0)
    smooth = gaussian_filter(rng.random((192, 256, 3)), (6, 6, 0))  # a smooth random field
    assert grid_energy(smooth + 0.002 * rng.random(smooth.shape)) < 30


def test_distances_are_0_at_their_reference_and_1_for_the_photo(cat_rgb, starry_rgb):
    meter = FeatureMeter(cat_rgb, starry_rgb)
    assert meter.style_distance(starry_rgb) == pytest.approx(0.0, abs=1e-6)
    assert meter.style_distance(cat_rgb) == pytest.approx(1.0, abs=1e-6)
    assert meter.content_distance(cat_rgb) == pytest.approx(0.0, abs=1e-6)
    blurred = (cat_rgb + np.roll(cat_rgb, 3, axis=1)) / 2
    assert 0 < meter.content_distance(blurred) < 1
