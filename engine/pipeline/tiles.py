"""Tiled passes: sizes beyond memory, optimised in overlapping tiles.

Each tile is its own small optimisation, started from the up-sampled result
of the pass before, with content targets from its part of the photo and the
style Gram matrices of the whole style image (accumulated tile by tile, since
a Gram matrix is a sum over positions). Tiles are blended with linear ramps
across their overlaps so no seam shows; the coarse pass before has already
fixed the large-scale structure that a tile cannot see.

Which passes are tiled, and with which tile, is one plan made before any
work (`plan_passes`), with the L-BFGS memory that fits each pass.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch

from ..errors import StyleError
from ..image.io import resize_long_side, resize_to
from ..image.tensors import to_tensor
from ..losses import terms
from ..losses.objective import build_objective
from ..network.build import features_of, network_for
from ..optim.loop import optimise
from ..optim.task import Task
from ..progress import Result
from .context import Controls, Inputs
from .memory import available_bytes, estimate_bytes, fit_history, whole_image_fits
from .stages import Stage, output_size


def plan_passes(stages: list[Stage], inputs: Inputs, settings, device, notes: list) -> list[Stage]:
    """Every pass with its tile side, L-BFGS memory and place in the run,
    decided before any work: a pass that cannot run fails here, not midway."""
    out = []
    for index, stage in enumerate(stages):
        wh = output_size(inputs.content, inputs.styles, stage.size)
        simple = inputs.content is not None and not (inputs.labels or stage.photoreal or settings.local_window)
        tile = tile_side(wh, settings, device, notes, simple)
        if tile and (settings.photoreal or settings.local_window):
            raise StyleError(
                "This size needs tiles, which the photoreal mode and the localised loss do not support; "
                "choose a smaller size for those."
            )
        history = settings.lbfgs_history if tile else fit_history(wh, settings, notes).lbfgs_history
        out.append(dataclasses.replace(stage, tile=tile, history=history, index=index, count=len(stages)))
    return out


def tile_side(wh, settings, device, notes, simple: bool) -> int:
    """0 for an ordinary pass; the tile side when this pass must be tiled."""
    if settings.tile_size and max(wh) > settings.tile_size:
        if not simple:
            raise StyleError(
                "Tiled passes need a content image and do not support masks, the photoreal mode or "
                "the localised loss; set --tile-size 0 or drop those options."
            )
        return settings.tile_size
    if settings.tile_size:
        return 0
    try:
        fit_history(wh, settings)
        return 0
    except StyleError:
        budget = available_bytes(device)
        if not simple or budget is None or not whole_image_fits(wh, device):
            raise
    tile = largest_tile(lambda side: estimate_bytes((side, side), settings.replace(lbfgs_history=20)) <= 0.8 * budget)
    notes.append(f"{max(wh)} px does not fit in memory at once; optimised in {tile} px tiles")
    return tile


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


def tiled_style_grams(net, style: np.ndarray, layers, tile: int, device) -> dict:
    """Gram matrices of a whole (large) style image, summed over tiles:
    sum_t F_t F_t^T divided by the total number of positions per layer."""
    h, w = style.shape[:2]
    sums, positions = {}, {}
    for x0, y0, x1, y1 in tile_boxes(w, h, tile, 0):
        with torch.no_grad():
            feats = features_of(net, to_tensor(style[y0:y1, x0:x1], device), layers, device)
        for layer, f in feats.items():
            m = f.shape[2] * f.shape[3]
            sums[layer] = sums.get(layer, 0) + terms.gram_matrix(f.float()) * m
            positions[layer] = positions.get(layer, 0) + m
    return {layer: sums[layer] / positions[layer] for layer in sums}


def _style_grams(styles, wh, tile: int, run: Controls) -> dict:
    """The blended Gram targets of the style images at this pass's scale."""
    settings = run.settings
    blend = settings.style_blend or [1.0] * len(styles)
    blend = [b / sum(blend) for b in blend]
    net = network_for(settings, run.device, run.dtype)
    layers = terms.normalise_weights(settings.style_layers)
    scales = settings.style_scales or [settings.style_scale] * len(styles)
    grams = {}
    for s, b, k in zip(styles, blend, scales):
        side = max(32, round(max(wh) * k))
        for layer, g in tiled_style_grams(net, resize_long_side(s, side), layers, tile, run.device).items():
            grams[layer] = grams.get(layer, 0) + b * g
    return grams


def run_tiled(inputs: Inputs, stage: Stage, start: np.ndarray, run: Controls) -> Result:
    """One pass at the size of `start`, optimised tile by tile."""
    h, w = start.shape[:2]
    content = resize_to(inputs.content, (w, h))
    overlap = min(run.settings.tile_overlap, stage.tile // 4)
    boxes = tile_boxes(w, h, stage.tile, overlap)
    grams = _style_grams(inputs.styles, (w, h), stage.tile, run)
    acc = np.zeros((h, w, 3), np.float64)
    weight = np.zeros((h, w, 1), np.float64)
    history, evaluations, tile_losses, last = [], 0, [], None
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        c = to_tensor(content[y0:y1, x0:x1], run.device)
        objective = build_objective(c, [], [], run.settings, run.device, run.dtype, style_grams=grams)
        task = Task(
            objective,
            to_tensor(start[y0:y1, x0:x1], run.device),
            run.settings,
            stage.iterations,
            f"{stage.name}, tile {i + 1}/{len(boxes)}",
            stage.index,
            stage.count,
        )
        last = optimise(task, run.progress, run.should_stop)
        history += last.history
        evaluations += last.evaluations
        tile_losses.append(last.loss)
        f = feather((x0, y0, x1, y1), w, h, overlap)[..., None]
        acc[y0:y1, x0:x1] += f * last.image
        weight[y0:y1, x0:x1] += f
        if last.cancelled or last.stopped_reason:
            break
    done = weight[..., 0] > 0
    image = start.astype(np.float64).copy()
    image[done] = acc[done] / weight[done]
    return Result(
        image=image.astype(np.float32),
        loss=float(np.mean(tile_losses)),
        iterations=len(history),
        cancelled=last.cancelled,
        stopped_reason=last.stopped_reason,
        history=history,
        evaluations=evaluations,
    )


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
