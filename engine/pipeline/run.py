"""`stylize`: one style transfer from images to the best image found.

The pipeline around the optimiser (engine/optim/): colour control before
and after, masks, the plan of the passes (coarse-to-fine sizes, the two
stages of the photorealistic mode, tiles and memory, all decided before any
work), then one Task per pass handed to the optimiser.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
import torch

from ..errors import StyleError
from ..image.io import resize_long_side, resize_to
from ..image.tensors import to_numpy, to_tensor
from ..losses.masks import check_mask_size, pair_regions, resize_label
from ..losses.matting import MattingLaplacian
from ..losses.objective import build_objective
from ..losses.temporal import TemporalTarget
from ..network.device import configure, pick_device, pick_precision
from ..optim.loop import optimise
from ..optim.task import Task
from ..progress import Progress, Result
from ..settings import Settings
from .colour import colour_inputs, colour_output, coloured_previews
from .context import Controls, Inputs
from .stages import Stage, initial_kind, output_size, plan_stages
from .start import adain_start, initial_image
from .tiles import plan_passes, run_tiled


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
    temporal: TemporalTarget | None = None,
) -> Result:
    """Run a style transfer; RGB float arrays in, the best image out.

    `content` may be None for texture synthesis. Masks are label images (one
    colour per region, uint8 (H, W, 3)) or soft ``(colours, masks (R, H, W)
    in [0, 1])`` (engine.losses.masks.soft_masks) of the same size as their
    images; a content region takes its style from the style image whose mask
    has the same colour. `init` (RGB float array, any size) overrides settings.init;
    `temporal` adds Ruder et al.'s temporal term (engine/losses/temporal.py).
    """
    _check_inputs(content, styles, settings, content_mask, temporal)
    device = pick_device(settings.device)
    configure(device)
    dtype = pick_precision(device, settings.precision)
    torch.manual_seed(settings.seed)
    inputs = Inputs(
        *colour_inputs(content, styles, settings), _check_masks(content, styles, content_mask, style_masks), temporal
    )
    notes: list[str] = []
    stages = plan_passes(plan_stages(settings), inputs, settings, device, notes)
    progress = _with_fraction(coloured_previews(progress, content, settings), stages)
    start_kind = initial_kind(settings, content is not None)
    current = init
    if current is None and start_kind == "adain" and content is not None:
        current = _adain_start(inputs, stages, Controls(settings, device, dtype, progress))
    run = Controls(settings.replace(init=start_kind), device, dtype, progress, should_stop)
    result, history, evaluations = _run_stages(inputs, stages, run, current, notes)
    current = result.image
    final_wh = output_size(content, styles, settings.output_size)
    image = resize_to(current, final_wh) if current.shape[1::-1] != final_wh else current
    image = colour_output(image, content, settings)
    return dataclasses.replace(
        result, image=image, history=history, iterations=len(history), evaluations=evaluations, notes=notes
    )


def _run_stages(inputs: Inputs, stages: list[Stage], run: Controls, current, notes: list[str]):
    """Each stage from the image of the one before, until one is cancelled or stops early:
    the last stage's result, the loss history and evaluations of all (their notes join `notes`)."""
    result, history, evaluations = None, [], 0
    for stage in stages:
        result = _run_stage(inputs, stage, run, current)
        history += result.history
        evaluations += result.evaluations
        notes += [n for n in result.notes if n not in notes]
        current = result.image
        if result.cancelled or result.stopped_reason:
            break
    return result, history, evaluations


def _adain_start(inputs: Inputs, stages: list[Stage], run: Controls) -> np.ndarray:
    """The AdaIN result at the first pass's size, shown at once as iteration 0
    so that a window has the look before the first iteration."""
    first = stages[0]
    current = adain_start(inputs.content, inputs.styles, first.size, run.settings, run.device)
    if run.progress is not None:
        preview = (np.clip(current, 0, 1) * 255 + 0.5).astype(np.uint8)
        run.progress(Progress(0, first.iterations, math.nan, {}, 0.0, preview, first.name, 0, len(stages)))
    return current


def _check_inputs(content, styles, settings: Settings, content_mask, temporal=None) -> None:
    """The images agree with the settings (the settings checked themselves when made)."""
    settings.check_style_count(len(styles))
    if content is None and not styles:
        raise StyleError("Give a content image, a style image, or both.")
    if (settings.color != "none" or settings.photoreal or content_mask is not None) and content is None:
        raise StyleError("Colour control, masks and photoreal mode need a content image.")
    if temporal is not None and settings.color in ("luminance", "original"):
        # The warped frame is in the output's colours, the optimiser works in others.
        raise StyleError("The temporal term needs the colours the optimiser works in; use --color none or histogram.")


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


def _run_stage(inputs: Inputs, stage: Stage, run: Controls, current: np.ndarray | None) -> Result:
    """One pass: its targets, masks and start image as one Task for the optimiser."""
    settings, device = run.settings, run.device
    wh = output_size(inputs.content, inputs.styles, stage.size)
    if stage.iterations == 0 and current is not None:  # an enlargement only: no targets to build
        return Result(image=resize_to(current, wh), loss=math.nan, iterations=0)
    content_t = to_tensor(resize_to(inputs.content, wh), device) if inputs.content is not None else None
    if stage.tile:
        start = (
            resize_to(current, wh)
            if current is not None
            else to_numpy(initial_image(settings.init, content_t, [], wh, settings.seed, device))
        )
        return run_tiled(inputs, stage, start, run)
    pass_settings = (
        settings.replace(lbfgs_history=stage.history) if stage.history != settings.lbfgs_history else settings
    )
    style_ts = _prepare_styles(inputs.styles, wh, settings, device)
    objective = _objective(inputs, stage, content_t, style_ts, pass_settings, run)
    if current is not None:
        x0 = to_tensor(resize_to(current, wh), device)
    else:
        x0 = initial_image(settings.init, content_t, style_ts, wh, settings.seed, device)
    task = Task(
        objective,
        x0,
        pass_settings,
        stage.iterations,
        stage.name,
        stage.index,
        stage.count,
        (stage.window, stage.tolerance),
    )
    return optimise(task, run.progress, run.should_stop)


def _objective(inputs: Inputs, stage: Stage, content_t, style_ts, settings: Settings, run: Controls):
    blend = settings.style_blend or [1.0] * len(style_ts)
    blend = [b / sum(blend) for b in blend]
    regions = _regions(inputs.labels, content_t, style_ts) if inputs.labels else None
    laplacian = MattingLaplacian(to_numpy(content_t)) if stage.photoreal else None
    return build_objective(
        content_t,
        style_ts,
        blend,
        settings,
        run.device,
        run.dtype,
        regions=regions,
        laplacian=laplacian,
        photoreal_weight=settings.photoreal_weight,
        temporal=_temporal(inputs.temporal, content_t, run.device),
    )


def _temporal(target: TemporalTarget | None, content_t, device):
    """(weight, warped, reliable) as tensors at the pass's size (the content's);
    a mask value below 1 after resizing counts as unreliable. Tiled passes
    (run_tiled) leave the term out."""
    if target is None or target.weight <= 0 or content_t is None:
        return None
    wh = tuple(content_t.shape[-1:-3:-1])
    warped = to_tensor(resize_to(target.warped, wh), device)
    c = resize_to(np.repeat(target.reliable[..., None], 3, axis=2), wh)[..., :1]
    reliable = torch.from_numpy((c > 0.999).astype(np.float32)).permute(2, 0, 1)[None].to(device)
    return target.weight, warped, reliable


def _check_masks(content, styles, content_mask, style_masks):
    if content_mask is None:
        if style_masks and any(m is not None for m in style_masks):
            raise StyleError(
                "Style masks were given without a content mask; add --content-mask or drop the style masks."
            )
        return None
    style_masks = list(style_masks or [])
    if len(style_masks) > len(styles):
        raise StyleError(
            f"There are {len(style_masks)} style masks but only {len(styles)} style images; give one mask per style image."
        )
    style_masks += [None] * (len(styles) - len(style_masks))
    check_mask_size(content_mask, content, "content mask")
    for i, (m, s) in enumerate(zip(style_masks, styles)):
        if m is not None:
            check_mask_size(m, s, f"mask of style image {i + 1}")
    return content_mask, style_masks


def _regions(labels, content_t, style_ts):
    content_mask, style_masks = labels
    content_label = resize_label(content_mask, tuple(content_t.shape[-2:]))
    style_labels = [
        resize_label(m, tuple(s.shape[-2:])) if m is not None else None for m, s in zip(style_masks, style_ts)
    ]
    return pair_regions(content_label, style_labels)


def _prepare_styles(styles, out_wh, settings, device):
    if settings.local_window:  # positions are compared one to one: the style takes the output's size
        return [to_tensor(resize_to(s, out_wh), device) for s in styles]
    scales = settings.style_scales or [settings.style_scale] * len(styles)
    return [to_tensor(resize_long_side(s, max(32, round(max(out_wh) * k))), device) for s, k in zip(styles, scales)]
