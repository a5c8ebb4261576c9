"""Colour control around the optimisation (Gatys et al. 2017, METHOD.md
section 2 "Colour control"; the photoreal refinement of Luan et al.):
what the inputs become before the run and the result after it."""

from __future__ import annotations

import dataclasses

import numpy as np

from ..image import color
from ..image.guided_filter import guided_filter
from ..image.io import resize_to
from ..progress import Progress


def colour_inputs(content, styles, settings):
    """(content, styles) as the run sees them."""
    if settings.color == "luminance":
        return color.luminance_only_inputs(content, styles, match=settings.match_luminance)
    if settings.color == "histogram":
        return content, [color.match_color(s, content, settings.histogram_mode) for s in styles]
    return content, styles


def colour_output(image, content, settings):
    """The result with the photo's colours put back (luminance, original) or
    snapped to a local affine transform of the photo (photoreal refine)."""
    if settings.color == "luminance":
        return color.recombine_luminance(image, resize_to(content, image.shape[1::-1]))
    if settings.color == "original":
        return color.original_colors(image, resize_to(content, image.shape[1::-1]))
    if settings.photoreal and settings.refine:
        return guided_filter(resize_to(content, image.shape[1::-1]), image)
    return image


def coloured_previews(progress, content, settings):
    """The callback, with previews in the colours the result will have: with
    luminance-only or the photo's colours the optimiser works on a grey or
    recoloured picture, and a preview shown as it is would look nothing like
    the final one (Gatys et al. 2017, section 5: the colour step comes last)."""
    if progress is None or content is None or settings.color not in ("luminance", "original"):
        return progress

    def report(p: Progress) -> None:
        if p.preview is not None:
            rgb = colour_output(p.preview.astype(np.float32) / 255, content, settings)
            p = dataclasses.replace(p, preview=(np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8))
        progress(p)

    return report
