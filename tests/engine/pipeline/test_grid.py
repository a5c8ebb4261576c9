"""No grid: a smooth photo stylised with the defaults shows no periodic
pattern at VGG's stride periods (2, 4, 8, 16 px); the AdaIN decoder's own
output, which the default run starts from, does, and would carry it into
the picture without the resize that removes it (engine/pipeline/run.py)."""

import numpy as np
from scipy.ndimage import gaussian_filter

from engine.image.io import resize_long_side
from engine.network.adain import adain_stylize
from engine.pipeline.metrics import grid_energy
from engine.pipeline.run import stylize
from engine.settings import Settings

GRID_LIMIT = 30.0  # photos score 5-30 on this measure; a visible grid scores in the hundreds


def _smooth_photo(cat_rgb):
    return gaussian_filter(resize_long_side(cat_rgb, 192), (2, 2, 0)).astype(np.float32)


def test_the_default_run_leaves_no_grid_on_a_smooth_input(cat_rgb, starry_rgb):
    photo = _smooth_photo(cat_rgb)
    result = stylize(photo, [starry_rgb], Settings(size=192, quality="draft", preview_every=0)).image
    assert grid_energy(result) < GRID_LIMIT


def test_the_measure_sees_the_grid_of_the_adain_decoder(cat_rgb, starry_rgb):
    raw = adain_stylize(_smooth_photo(cat_rgb), [starry_rgb], size=192)
    assert grid_energy(raw) > GRID_LIMIT
