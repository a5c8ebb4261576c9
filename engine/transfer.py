"""`stylize`: one style transfer from images to the best image found.

The pipeline around the optimisation loop (engine/optimise.py): colour
control before and after, masks, coarse-to-fine passes, the two stages of
the photorealistic mode, and the memory check before each pass.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Callable

import numpy as np
import torch

from . import color
from .device import configure, pick_device, pick_precision
from .errors import StyleError
from .images import resize_long_side, resize_to
from .memory import fit_history
from .objective import build_objective
from .optimise import optimise, to_numpy
from .progress import Progress, Result
from .schedule import initial_kind, plan_stages
from .settings import Settings

__all__ = ["stylize", "to_tensor", "to_numpy", "output_size", "plan_stages"]


def to_tensor(rgb: np.ndarray, device: torch.device) -> torch.Tensor:
    t = torch.from_numpy(np.ascontiguousarray(rgb, dtype=np.float32)).permute(2, 0, 1)[None]
    return t.to(device).contiguous()


def output_size(content: np.ndarray | None, styles: list, size: int) -> tuple[int, int]:
    """(width, height) of the output: the content's aspect, or the first style's."""
    ref = content if content is not None else styles[0]
    h, w = ref.shape[:2]
    s = size / max(h, w)
    return max(1, round(w * s)), max(1, round(h * s))


def stylize(
    content: np.ndarray | None,
    styles: list[np.ndarray],
    settings: Settings,
    *,
    content_mask: np.ndarray | None = None,
    style_masks: list | None = None,
    progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    init: np.ndarray | None = None,
) -> Result:
    """Run a style transfer; RGB float arrays in, the best image out.

    `content` may be None for texture synthesis. Masks are label images (one
    colour per region, uint8 (H, W, 3)) or soft ``(colours, masks (R, H, W)
    in [0, 1])`` (engine.masks.soft_masks) of the same size as their images;
    a content region takes its style from the style image whose mask has the
    same colour. `init` (RGB float array, any size) overrides settings.init.
    """
    settings.validate(len(styles))
    if content is None and not styles:
        raise StyleError("Give a content image, a style image, or both.")
    if (settings.color != "none" or settings.photoreal or content_mask is not None) and content is None:
        raise StyleError("Colour control, masks and photoreal mode need a content image.")
    device = pick_device(settings.device)
    configure(device)
    dtype = pick_precision(device, settings.precision)
    torch.manual_seed(settings.seed)

    content_in, styles_in = _colour_inputs(content, styles, settings)
    labels = _check_masks(content, styles, content_mask, style_masks)
    stages = plan_stages(settings)
    progress = _with_fraction(_coloured_previews(progress, content, settings), stages)
    final_wh = output_size(content, styles, settings.output_size)
    current = init
    start_kind = initial_kind(settings, content is not None)
    if current is None and start_kind == "adain" and content is not None:
        current = _adain_start(content_in, styles_in, stages[0].size, settings, device)
        if progress is not None:  # iteration 0: the start, so a window shows the AdaIN look at once
            preview = (np.clip(current, 0, 1) * 255 + 0.5).astype(np.uint8)
            progress(Progress(0, stages[0].iterations, math.nan, {}, 0.0, preview, stages[0].name, 0, len(stages)))
    settings = settings.replace(init=start_kind)
    history, evaluations, notes = [], 0, []
    result = None
    for index, stage in enumerate(stages):
        result = _run_stage(content_in, styles_in, labels, stage, index, len(stages), settings, device, dtype,
                            current, progress, should_stop, notes)
        history += result.history
        evaluations += result.evaluations
        notes += [n for n in result.notes if n not in notes]
        current = result.image
        if result.cancelled or result.stopped_reason:
            break
    image = resize_to(current, final_wh) if current.shape[1::-1] != final_wh else current
    image = _colour_output(image, content, settings)
    return dataclasses.replace(result, image=image, history=history, iterations=len(history),
                               evaluations=evaluations, notes=notes)


# The AdaIN decoder up-samples three times by nearest neighbours, which
# leaves a 4 and 8 px checkerboard in its output; the optimiser keeps it (the
# style loss does not mind it) and coarse-to-fine enlarges it into a visible
# grid. Decoded at 1.5x the first pass's size and resized down, the pattern
# no longer falls on whole pixels and the resize's filter averages it away
# (grid measure on the cat 73 -> 14; the photo itself: 23).
ADAIN_OVERSIZE = 1.5


def _adain_start(content, styles, size, settings, device) -> np.ndarray:
    from .adain import adain_stylize
    from .objective import RANGE_MARGIN

    out = adain_stylize(content, styles, size=round(size * ADAIN_OVERSIZE), weights=settings.style_blend or None,
                        device=device, precision=settings.precision, clamp=False)
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


def _with_fraction(progress, stages):
    """The callback, given Progress.fraction: the share of the run done, each
    stage weighing its pixels times its iterations (a 1024 px pass costs
    four 512 px ones)."""
    if progress is None:
        return None
    work = [s.size * s.size * s.expected for s in stages]
    before = [sum(work[:i]) for i in range(len(work))]
    total = max(1, sum(work))

    def report(p: Progress) -> None:
        i = min(p.stage_index, len(work) - 1)
        done = before[i] + work[i] * min(1.0, p.iteration / max(1, stages[i].expected))
        progress(dataclasses.replace(p, fraction=min(1.0, done / total)))

    return report


def _coloured_previews(progress, content, settings):
    """The callback, with previews in the colours the result will have: with
    luminance-only or the photo's colours the optimiser works on a grey or
    recoloured picture, and a preview shown as it is would look nothing like
    the final one (Gatys et al. 2017, section 5: the colour step comes last)."""
    if progress is None or content is None or settings.color not in ("luminance", "original"):
        return progress

    def report(p: Progress) -> None:
        if p.preview is not None:
            rgb = _colour_output(p.preview.astype(np.float32) / 255, content, settings)
            p = dataclasses.replace(p, preview=(np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8))
        progress(p)

    return report


def _run_stage(content, styles, labels, stage, index, count, settings, device, dtype, current, progress,
               should_stop, notes) -> Result:
    wh = output_size(content, styles, stage.size)
    simple = content is not None and not (labels or stage.photoreal or settings.local_window)
    tile = _tile_size(wh, settings, device, notes, simple)
    if tile:
        from .tiles import run_tiled

        start = resize_to(current, wh) if current is not None else to_numpy(
            _initial_image(settings.init, to_tensor(resize_to(content, wh), device), [], wh, settings.seed, device))
        return run_tiled(resize_to(content, wh), styles, start, settings.replace(iterations=stage.iterations), tile,
                         device, dtype, progress, should_stop, stage.name, index, count)
    stage_settings = fit_history(wh, settings, notes)
    content_t = to_tensor(resize_to(content, wh), device) if content is not None else None
    style_ts = _prepare_styles(styles, wh, settings, device)
    blend = settings.style_blend or [1.0] * len(styles)
    blend = [b / sum(blend) for b in blend]
    regions = _regions(labels, content_t, style_ts) if labels else None
    laplacian = None
    if stage.photoreal:
        from .matting import MattingLaplacian

        laplacian = MattingLaplacian(to_numpy(content_t))
    objective = build_objective(content_t, style_ts, blend, stage_settings, device, dtype, regions=regions,
                                laplacian=laplacian, photoreal_weight=settings.photoreal_weight)
    if current is not None:
        x0 = to_tensor(resize_to(current, wh), device)
    else:
        x0 = _initial_image(settings.init, content_t, style_ts, wh, settings.seed, device)
    stage_settings = stage_settings.replace(iterations=stage.iterations)
    return optimise(objective, x0, stage_settings, progress, should_stop, stage.name, index, count,
                    converge=(stage.window, stage.tolerance))


def _tile_size(wh, settings, device, notes, simple: bool) -> int:
    """0 for an ordinary pass; the tile side when this pass must be tiled."""
    from .memory import available_bytes, estimate_bytes, whole_image_fits

    if settings.tile_size and max(wh) > settings.tile_size:
        if not simple:
            raise StyleError("Tiled passes need a content image and do not support masks, the photoreal mode or "
                             "the localised loss; set --tile-size 0 or drop those options.")
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
    from .tiles import largest_tile

    tile = largest_tile(lambda side: estimate_bytes((side, side), settings.replace(lbfgs_history=20)) <= 0.8 * budget)
    notes.append(f"{max(wh)} px does not fit in memory at once; optimised in {tile} px tiles")
    return tile


def _colour_inputs(content, styles, settings):
    if settings.color == "luminance":
        return color.luminance_only_inputs(content, styles, match=settings.match_luminance)
    if settings.color == "histogram":
        return content, [color.match_color(s, content, settings.histogram_mode) for s in styles]
    return content, styles


def _colour_output(image, content, settings):
    if settings.color == "luminance":
        return color.recombine_luminance(image, resize_to(content, image.shape[1::-1]))
    if settings.color == "original":
        return color.original_colors(image, resize_to(content, image.shape[1::-1]))
    if settings.photoreal and settings.refine:
        from .guided_filter import guided_filter

        return guided_filter(resize_to(content, image.shape[1::-1]), image)
    return image


def _check_masks(content, styles, content_mask, style_masks):
    if content_mask is None:
        if style_masks and any(m is not None for m in style_masks):
            raise StyleError("Style masks were given without a content mask; add --content-mask or drop the style masks.")
        return None
    from .masks import check_mask_size

    style_masks = list(style_masks or [])
    if len(style_masks) > len(styles):
        raise StyleError(f"There are {len(style_masks)} style masks but only {len(styles)} style images; give one mask per style image.")
    style_masks += [None] * (len(styles) - len(style_masks))
    check_mask_size(content_mask, content, "content mask")
    for i, (m, s) in enumerate(zip(style_masks, styles)):
        if m is not None:
            check_mask_size(m, s, f"mask of style image {i + 1}")
    return content_mask, style_masks


def _regions(labels, content_t, style_ts):
    from .masks import pair_regions, resize_label

    content_mask, style_masks = labels
    content_label = resize_label(content_mask, tuple(content_t.shape[-2:]))
    style_labels = [resize_label(m, tuple(s.shape[-2:])) if m is not None else None for m, s in zip(style_masks, style_ts)]
    return pair_regions(content_label, style_labels)


def _prepare_styles(styles, out_wh, settings, device):
    if settings.local_window:  # positions are compared one to one: the style takes the output's size
        return [to_tensor(resize_to(s, out_wh), device) for s in styles]
    scales = settings.style_scales or [settings.style_scale] * len(styles)
    return [to_tensor(resize_long_side(s, max(32, round(max(out_wh) * k))), device) for s, k in zip(styles, scales)]


def _initial_image(kind: str, content, styles, size_wh, seed: int, device) -> torch.Tensor:
    w, h = size_wh
    if kind in ("content", "adain") and content is not None:
        return content.clone()
    if kind == "style" and styles:
        return to_tensor(resize_to(to_numpy(styles[0]), (w, h)), device)
    if kind in ("noise", "content", "adain", "style"):  # texture synthesis starts from noise
        gen = torch.Generator().manual_seed(seed)
        return torch.rand(1, 3, h, w, generator=gen).to(device)
    from .images import load_image  # a file

    return to_tensor(resize_to(load_image(kind, "Init image").rgb, (w, h)), device)
