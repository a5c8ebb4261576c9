"""The image a run starts from: the photo, noise, a style image, a file, or
the instant AdaIN result (Huang & Belongie 2017) softly kept inside the range."""

from __future__ import annotations

import numpy as np
import torch

from ..image.io import load_image, resize_to
from ..image.tensors import to_numpy, to_tensor
from ..losses.objective import RANGE_MARGIN
from ..network.adain import adain_stylize
from .stages import output_size

# The AdaIN decoder up-samples three times by nearest neighbours, which
# leaves a 4 and 8 px checkerboard in its output; the optimiser keeps it (the
# style loss does not mind it) and coarse-to-fine enlarges it into a visible
# grid. Decoded at 1.5x the first pass's size and resized down, the pattern
# no longer falls on whole pixels and the resize's filter averages it away
# (grid measure on the cat 73 -> 14; the photo itself: 23).
ADAIN_OVERSIZE = 1.5


def adain_start(content, styles, size, settings, device) -> np.ndarray:
    out = adain_stylize(
        content,
        styles,
        size=round(size * ADAIN_OVERSIZE),
        weights=settings.style_blend or None,
        device=device,
        precision=settings.precision,
        clamp=False,
    )
    return soft_clip(resize_to(out, output_size(content, styles, size)), RANGE_MARGIN)


def soft_clip(rgb: np.ndarray, margin: float, reach: float = 0.4) -> np.ndarray:
    """Values past [margin, 1 - margin] folded into the margin, a shoulder
    like a film's: monotone, so what the decoder overshot (up to about 0.4
    past the range on the shared pairs) keeps its detail at 8 bits instead of
    being cut flat at 0 or 1; short runs have no time to bring such flat
    patches back. An overshoot of `reach` lands about one level from the end."""
    x = np.asarray(rgb, np.float32)
    width = reach / 1.6  # tanh(1.6 + ...) ~ 0.93: a 0.04 margin keeps ~0.7 / 255 there
    low, high = x < margin, x > 1 - margin
    out = x.copy()
    out[low] = margin - margin * np.tanh((margin - x[low]) / width)
    out[high] = 1 - margin + margin * np.tanh((x[high] - (1 - margin)) / width)
    return out


def initial_image(kind: str, content, styles, size_wh, seed: int, device) -> torch.Tensor:
    """The start of a pass without a previous result: `kind` is settings.init resolved."""
    w, h = size_wh
    if kind in ("content", "adain") and content is not None:
        return content.clone()
    if kind == "style" and styles:
        return to_tensor(resize_to(to_numpy(styles[0]), (w, h)), device)
    if kind in ("noise", "content", "adain", "style"):  # texture synthesis starts from noise
        gen = torch.Generator().manual_seed(seed)
        return torch.rand(1, 3, h, w, generator=gen).to(device)
    return to_tensor(resize_to(load_image(kind, "Init image").rgb, (w, h)), device)
