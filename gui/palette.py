"""Region colours: region k (1-based) is drawn and exported in REGION_COLOURS[k-1]."""

from __future__ import annotations

import numpy as np

REGION_COLOURS = (
    (230, 25, 75),
    (60, 180, 75),
    (0, 130, 200),
    (255, 225, 25),
    (145, 30, 180),
    (70, 240, 240),
    (245, 130, 48),
    (240, 50, 230),
)
MAX_REGIONS = len(REGION_COLOURS)


def colour_table() -> np.ndarray:
    """(MAX_REGIONS + 1, 3) uint8; row 0 (no region) is black."""
    return np.array([(0, 0, 0), *REGION_COLOURS], dtype=np.uint8)
