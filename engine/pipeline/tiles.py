"""Tiled passes: sizes beyond memory, optimised in overlapping tiles.

Each tile is its own small optimisation, started from the up-sampled result
of the pass before, with content targets from its part of the photo and the
style Gram matrices of the whole style image (accumulated tile by tile, since
a Gram matrix is a sum over positions). Tiles are blended with linear ramps
across their overlaps so no seam shows; the coarse pass before has already
fixed the large-scale structure that a tile cannot see.
"""
from __future__ import annotations

import numpy as np
import torch

from . import losses
from .errors import StyleError
from .images import resize_long_side
from .objective import Objective, build_objective
from .optimise import optimise
from .progress import Result


def tile_boxes(width: int, height: int, tile: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) boxes covering the image, neighbours sharing `overlap` px."""
    def starts(n):
        if n <= tile:
            return [0]
        step = tile - overlap
        count = int(np.ceil((n - overlap) / step))
        return [min(i * step, n - tile) for i in range(count)]

    return [(x, y, min(x + tile, width), min(y + tile, height)) for y in starts(height) for x in starts(width)]


def feather(box, width: int, height: int, overlap: int) -> np.ndarray:
    """Blend weights of one tile: ramps over the overlaps, flat at the image border."""
    x0, y0, x1, y1 = box
    wy = np.ones(y1 - y0, np.float32)
    wx = np.ones(x1 - x0, np.float32)
    ramp = (np.arange(overlap, dtype=np.float32) + 0.5) / max(overlap, 1)
    if overlap:
        if y0 > 0:
            wy[:overlap] = np.minimum(wy[:overlap], ramp)
        if y1 < height:
            wy[-overlap:] = np.minimum(wy[-overlap:], ramp[::-1])
        if x0 > 0:
            wx[:overlap] = np.minimum(wx[:overlap], ramp)
        if x1 < width:
            wx[-overlap:] = np.minimum(wx[-overlap:], ramp[::-1])
    return wy[:, None] * wx[None, :]


def tiled_style_grams(objective, style: np.ndarray, tile: int, device) -> dict:
    """Gram matrices of a whole (large) style image, summed over tiles:
    sum_t F_t F_t^T divided by the total number of positions per layer."""
    from .transfer import to_tensor

    h, w = style.shape[:2]
    sums, positions = {}, {}
    for x0, y0, x1, y1 in tile_boxes(w, h, tile, 0):
        with torch.no_grad():
            feats = objective.features(to_tensor(style[y0:y1, x0:x1], device), objective.style_w)
        for layer, f in feats.items():
            m = f.shape[2] * f.shape[3]
            sums[layer] = sums.get(layer, 0) + losses.gram_matrix(f.float()) * m
            positions[layer] = positions.get(layer, 0) + m
    return {layer: sums[layer] / positions[layer] for layer in sums}


def _style_objective(settings, device, dtype, grams=None):
    """An objective with style terms only, whose targets are given."""
    from .network import network_for

    obj = Objective(network_for(settings, device, dtype), settings, device, dtype, {},
                    losses.normalise_weights(settings.style_layers))
    obj.style_targets = grams or {}
    return obj


def run_tiled(content: np.ndarray, styles: list, start: np.ndarray, settings, tile: int, device, dtype,
              progress, should_stop, stage_name: str, stage_index: int, stages: int) -> Result:
    """One pass at the size of `start`, optimised tile by tile."""
    from .transfer import to_tensor

    if settings.photoreal or settings.local_window:
        raise StyleError("This size needs tiles, which the photoreal mode and the localised loss do not support; "
                         "choose a smaller size for those.")
    h, w = start.shape[:2]
    overlap = min(settings.tile_overlap, tile // 4)
    boxes = tile_boxes(w, h, tile, overlap)
    blend = settings.style_blend or [1.0] * len(styles)
    blend = [b / sum(blend) for b in blend]
    probe = _style_objective(settings, device, dtype)
    scales = settings.style_scales or [settings.style_scale] * len(styles)
    grams = {}
    for s, b, k in zip(styles, blend, scales):
        for layer, g in tiled_style_grams(probe, resize_long_side(s, max(32, round(max(w, h) * k))), tile, device).items():
            grams[layer] = grams.get(layer, 0) + b * g
    acc = np.zeros((h, w, 3), np.float64)
    weight = np.zeros((h, w, 1), np.float64)
    history, evaluations, tile_losses, cancelled, reason = [], 0, [], False, ""
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        c = to_tensor(content[y0:y1, x0:x1], device)
        obj = build_objective(c, [], [], settings, device, dtype, style_grams=grams)
        x = to_tensor(start[y0:y1, x0:x1], device)
        name = f"{stage_name}, tile {i + 1}/{len(boxes)}"
        result = optimise(obj, x, settings, progress, should_stop, name, stage_index, stages)
        history += result.history
        evaluations += result.evaluations
        tile_losses.append(result.loss)
        f = feather((x0, y0, x1, y1), w, h, overlap)[..., None]
        acc[y0:y1, x0:x1] += f * result.image
        weight[y0:y1, x0:x1] += f
        if result.cancelled or result.stopped_reason:
            cancelled, reason = result.cancelled, result.stopped_reason
            break
    done = weight[..., 0] > 0
    image = start.astype(np.float64).copy()
    image[done] = acc[done] / weight[done]
    return Result(image=image.astype(np.float32), loss=float(np.mean(tile_losses)), iterations=len(history), cancelled=cancelled,
                  stopped_reason=reason, history=history, evaluations=evaluations)


def largest_tile(fits) -> int:
    """The largest square tile (multiple of 64, at least 128) for which fits(w, h) holds."""
    best = 0
    for side in range(128, 8192, 64):
        if not fits(side):
            break
        best = side
    if not best:
        raise StyleError("Not even a 128 px tile fits in the free memory; close other programs and try again.")
    return best
