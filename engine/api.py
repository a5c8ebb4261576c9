"""The engine's public entry point: both faces (the window in gui/, the
command line in cli/) run a style transfer through these functions.

    result = stylize(content, styles, Settings(size=256), progress=callback)
"""

from __future__ import annotations

from .pipeline.run import stylize
from .pipeline.scale_mix import FINE_LAYERS, mix_scales
from .pipeline.stages import output_size
from .video.cache import FrameCache
from .video.frames import VIDEO_SUFFIXES, open_source, write_rendered, write_video
from .video.options import VideoOptions
from .video.sequence import FrameProgress, stylize_video


def stylize_loaded(content, styles, settings, masks=(None, None), **run):
    """stylize() for images as engine.image.io.load_image gives them (content None: texture synthesis);
    `masks` is (content mask, style masks); `run` holds progress and should_stop."""
    rgbs = [s.rgb for s in styles]
    return stylize(content.rgb if content else None, rgbs, settings, content_mask=masks[0], style_masks=masks[1], **run)


__all__ = [
    "stylize",
    "stylize_loaded",
    "mix_scales",
    "output_size",
    "FINE_LAYERS",
    "stylize_video",
    "VideoOptions",
    "FrameProgress",
    "FrameCache",
    "open_source",
    "write_video",
    "write_rendered",
    "VIDEO_SUFFIXES",
]
