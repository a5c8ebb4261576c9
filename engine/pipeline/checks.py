"""Checks on sizes and memory made before any work, by every face.

An output or style size the network cannot take (every layer used must keep
a few pixels after its poolings) and style images whose Gram targets would
not fit in memory are refused with a sentence naming the smallest value that
works. The command line, the batch executors and the window call these.
"""

from __future__ import annotations

import math

from engine.errors import StyleError

from .advice import COMMAND_LINE, Fixes


def min_network_side(settings) -> int:
    """Smallest short side the network takes: the deepest layer used must keep
    2 pixels after its poolings (reflect padding needs 2; zero padding 1)."""
    layers = list(settings.content_layers) + list(settings.style_layers)
    deepest = max((int(name[4]) for name in layers), default=5)
    return 2 ** (deepest - 1) * (2 if settings.padding == "reflect" else 1)


def _short_side(hw: tuple[int, int], long_side: int) -> int:
    h, w = hw
    return max(1, round(min(h, w) * long_side / max(h, w)))


def check_sizes(content_hw, style_hws: list, settings, fixes: Fixes = COMMAND_LINE) -> None:
    """Refuse an output or style size the network cannot take, naming the
    smallest size or style scale that works in the words of `fixes`."""
    need = min_network_side(settings)
    ref = content_hw or style_hws[0]
    for long_side in sorted({size for size, _ in settings.passes}):
        if _short_side(ref, long_side) < need:
            fits = next((s for s in range(long_side, 16385) if _short_side(ref, s) >= need), None)
            fix = (fixes.scales if settings.scales else fixes.size).format(n=fits)
            fix = fix if fits else "crop the image to a less extreme shape"
            raise StyleError(
                f"At {long_side} px the {ref[1]}x{ref[0]} image would be only {_short_side(ref, long_side)} px "
                f"on its short side, but the network needs at least {need} px; {fix}."
            )
    out_long = settings.output_size
    scales = settings.style_scales or [settings.style_scale] * len(style_hws)
    for i, (hw, k) in enumerate(zip(style_hws, scales), start=1):
        long_side = max(32, round(out_long * k))
        if _short_side(hw, long_side) < need:
            k_min = math.ceil(100 * need * max(hw) / min(hw) / out_long) / 100
            raise StyleError(
                f"Style image {i} ({hw[1]}x{hw[0]}) would be only {_short_side(hw, long_side)} px on its short "
                f"side at style scale {k:g}, but the network needs at least {need} px; "
                f"{fixes.style_scale.format(k=f'{k_min:g}')}, or crop the style image to a less thin shape."
            )


def style_bytes(style_hws: list, scales: list, out_long: int, settings) -> int:
    """Memory the style images take: each image's tensors, and the largest
    per-layer buffers of one forward pass."""
    per_pixel = 3 * 64 * 4  # the widest layer (block 1) with its input and output; the pass keeps no graph
    pixels = [max(1, round(out_long * k)) ** 2 * min(hw) / max(hw) for hw, k in zip(style_hws, scales)]
    return int(sum(3 * 4 * 3 * p for p in pixels) + per_pixel * max(pixels, default=0))


def check_style_memory(style_hws: list, settings, out_bytes: int, fixes: Fixes = COMMAND_LINE) -> None:
    """Refuse a style scale whose images alone would not fit, naming the largest that does."""
    from engine.network.device import pick_device  # local: imports torch (start-up time)
    from engine.pipeline.memory import available_bytes

    budget = available_bytes(pick_device(settings.device))
    scales = settings.style_scales or [settings.style_scale] * len(style_hws)
    out_long = settings.output_size
    if budget is None or style_bytes(style_hws, scales, out_long, settings) + out_bytes <= budget:
        return
    if out_bytes >= budget:  # the output alone does not fit: the run's plan (tiles, a shorter L-BFGS
        return  # history) says what to change, which no style scale would
    top = max(scales)
    k = top
    while k > 0.01 and style_bytes(style_hws, [s * k / top for s in scales], out_long, settings) + out_bytes > budget:
        k *= 0.9
    hint = (
        fixes.style_scale_fits.format(k=f"{math.floor(k * 100) / 100:g}")
        if k > 0.01
        else f"close other programs or {fixes.lower_size}"
    )
    need = style_bytes(style_hws, scales, out_long, settings) + out_bytes
    raise StyleError(
        f"With style scale {top:g} the style images need about {need / 2**30:.1f} GB but only "
        f"{budget / 2**30:.1f} GB is free; {hint}."
    )
