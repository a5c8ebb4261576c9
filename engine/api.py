"""The engine's public entry point: both faces (the window in gui/, the
command line in cli/) run a style transfer through these functions.

    result = stylize(content, styles, Settings(size=256), progress=callback)
"""
from __future__ import annotations

from .pipeline.run import stylize
from .pipeline.scale_mix import FINE_LAYERS, mix_scales
from .pipeline.stages import output_size

__all__ = ["stylize", "mix_scales", "output_size", "FINE_LAYERS"]
