"""Scale mixing (Gatys et al. 2017, "Scale control"): a new style image with
the coarse structure of one painting and the fine strokes of another.

Start from the coarse-scale image, leave the content loss out and match only
the low-layer style statistics of the fine-scale image. The result is an
ordinary image, used afterwards as a style like any other.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..image.io import resize_long_side
from ..progress import Progress, Result
from ..settings import Settings
from .run import stylize

# Receptive fields up to relu2_1 (~10 px) carry strokes and grain but not the
# layout, which the starting image keeps.
FINE_LAYERS = {"relu1_1": 1.0, "relu2_1": 1.0}


def mix_scales(
    coarse: np.ndarray,
    fine: np.ndarray,
    settings: Settings | None = None,
    *,
    layers: dict | None = None,
    progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """Synthesise a style image: coarse's layout, fine's low-layer texture."""
    settings = (settings or Settings()).replace(
        content_layers={},
        style_layers=dict(layers or FINE_LAYERS),
        color="none",
        photoreal=False,
        local_window=0,
        scales=[],
        style_blend=[],
        style_scales=[],
    )
    start = resize_long_side(coarse, settings.size)
    # Texture synthesis (no content) from the coarse image; the output keeps its aspect.
    return stylize(None, [fine], settings, init=start, progress=progress, should_stop=should_stop)
