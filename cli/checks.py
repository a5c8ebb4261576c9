"""Checks the headless commands make before any work, and the safe final save.

Sizes the network cannot take, style images that would not fit in memory and
outputs that could not be written are all refused before the network loads;
a result that still cannot be written at the end goes to a fallback path.
"""
from __future__ import annotations

import math
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from engine.errors import StyleError
from engine.image.io import check_output_path, save_image


def min_network_side(settings) -> int:
    """Smallest short side the network takes: the deepest layer used must keep
    2 pixels after its poolings (reflect padding needs 2; zero padding 1)."""
    layers = list(settings.content_layers) + list(settings.style_layers)
    deepest = max((int(name[4]) for name in layers), default=5)
    return 2 ** (deepest - 1) * (2 if settings.padding == "reflect" else 1)


def _short_side(hw: tuple[int, int], long_side: int) -> int:
    h, w = hw
    return max(1, round(min(h, w) * long_side / max(h, w)))


def check_sizes(content_hw, style_hws: list, settings) -> None:
    """Refuse an output or style size the network cannot take, naming the
    smallest --size or --style-scale that works."""
    need = min_network_side(settings)
    ref = content_hw or style_hws[0]
    for long_side in sorted({size for size, _ in settings.passes}):
        if _short_side(ref, long_side) < need:
            fits = next((s for s in range(long_side, 16385) if _short_side(ref, s) >= need), None)
            what = "--size" if not settings.scales else "every entry of --scales"
            fix = f"use {what} {fits} or more" if fits else "crop the image to a less extreme shape"
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
                f"side at style scale {k:g}, but the network needs at least {need} px; use --style-scale "
                f"{k_min:g} or more, or crop the style image to a less thin shape."
            )


def style_bytes(style_hws: list, scales: list, out_long: int, settings) -> int:
    """Memory the style images take: each image's tensors, and the largest
    per-layer buffers of one forward pass."""
    per_pixel = 3 * 64 * 4  # the widest layer (block 1) with its input and output; the pass keeps no graph
    pixels = [max(1, round(out_long * k)) ** 2 * min(hw) / max(hw) for hw, k in zip(style_hws, scales)]
    return int(sum(3 * 4 * 3 * p for p in pixels) + per_pixel * max(pixels, default=0))


def check_style_memory(style_hws: list, settings, out_bytes: int) -> None:
    """Refuse a style scale whose images alone would not fit, naming the largest that does."""
    from engine.network.device import pick_device  # local: imports torch (start-up time)
    from engine.pipeline.memory import available_bytes

    budget = available_bytes(pick_device(settings.device))
    scales = settings.style_scales or [settings.style_scale] * len(style_hws)
    out_long = settings.output_size
    if budget is None or style_bytes(style_hws, scales, out_long, settings) + out_bytes <= budget:
        return
    top = max(scales)
    k = top
    while k > 0.01 and style_bytes(style_hws, [s * k / top for s in scales], out_long, settings) + out_bytes > budget:
        k *= 0.9
    hint = f"the largest --style-scale that fits is about {math.floor(k * 100) / 100:g}" if k > 0.01 else \
        "close other programs or lower --size"
    need = style_bytes(style_hws, scales, out_long, settings) + out_bytes
    raise StyleError(
        f"With style scale {top:g} the style images need about {need / 2**30:.1f} GB but only "
        f"{budget / 2**30:.1f} GB is free; {hint}."
    )


def estimate_file_bytes(wh: tuple[int, int], bits: int, alpha: bool) -> int:
    """Generous: the uncompressed pixels plus room for headers and settings."""
    return wh[0] * wh[1] * (4 if alpha else 3) * bits // 8 + 64 * 1024


def check_disk(out: Path, wh, bits: int, alpha: bool, snapshots: int) -> None:
    folder = out.parent if str(out.parent) else Path(".")
    need = estimate_file_bytes(wh, bits, alpha) * (1 + snapshots)
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if need > free:
        what = "the result and its snapshots" if snapshots else "the result"
        raise StyleError(
            f"The disk holding {folder} has {free / 2**20:.1f} MB free but {what} may need about "
            f"{need / 2**20:.1f} MB; free some space or choose another folder."
        )


def free_name(path: Path) -> Path:
    """path, or path's stem with -2, -3, ... if a file of that name exists."""
    n = 2
    candidate = path
    while candidate.exists() or candidate.with_name(candidate.name + ".json").exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def save_result(out: Path, rgb: np.ndarray, alpha, *, bits: int, settings_json: str, overwrite: bool):
    """Save to out; if that fails, to a free name beside it, in the home folder or
    the temp folder. Returns (path written, None) or (fallback path, reason)."""
    try:
        return save_image(out, rgb, alpha, bits=bits, settings_json=settings_json, overwrite=overwrite), None
    except (StyleError, OSError) as exc:
        reason = _reason(out, exc)
    places = [out.parent, Path.home(), Path(tempfile.gettempdir())]
    for folder in places:
        try:
            if not folder.is_dir():
                continue
            target = free_name(folder / out.name)
            check_output_path(target)
            return save_image(target, rgb, alpha, bits=bits, settings_json=settings_json), reason
        except (StyleError, OSError):
            continue
    raise StyleError(f"Could not write {out} ({reason}) nor any fallback copy; free some disk space and run again.")


def _reason(out: Path, exc: Exception) -> str:
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        return "its folder was removed during the run"
    if isinstance(exc, OSError):
        return (exc.strerror or "write failed").lower()
    if out.exists() or out.with_name(out.name + ".json").exists():
        return "a file of that name appeared during the run"
    return str(exc).rstrip(".")


class Snapshots:
    """--save-every images: never over an old one (a free name instead), and a
    snapshot that cannot be written is skipped with one note, not fatal."""

    def __init__(self, out: Path, args, settings_json: str):
        self.out, self.args, self.settings_json, self.failed = out, args, settings_json, False

    def save(self, p) -> None:
        out = self.out
        snap = out.with_name(f"{out.stem}_{p.stage_index}_{p.iteration:04d}{out.suffix}" if p.stages > 1
                             else f"{out.stem}_{p.iteration:04d}{out.suffix}")
        if not self.args.overwrite:
            snap = free_name(snap)
        try:
            save_image(snap, p.preview.astype("float32") / 255.0, overwrite=self.args.overwrite,
                       settings_json=self.settings_json)
        except (StyleError, OSError) as exc:
            if not self.failed:
                reason = (getattr(exc, "strerror", None) or str(exc)).rstrip(".")
                print(f"{chr(10) if sys.stderr.isatty() else ''}note: could not save a snapshot ({reason[0].lower()}"
                      f"{reason[1:]}); the run goes on.", file=sys.stderr)
            self.failed = True


def check_before_work(args, out, settings, content, styles, out_wh) -> None:
    """Sizes, style memory and disk room, all before the network loads."""
    from engine.pipeline.memory import estimate_bytes  # local: imports torch (start-up time)

    check_sizes(content.rgb.shape[:2] if content else None, [s.rgb.shape[:2] for s in styles], settings)
    check_style_memory([s.rgb.shape[:2] for s in styles], settings, estimate_bytes(out_wh, settings))
    total = sum(n for _, n in settings.passes) + (settings.photoreal_stage1 if settings.photoreal else 0)
    snapshots = total // args.save_every if args.save_every else 0
    check_disk(out, out_wh, args.bits, content is not None and content.alpha is not None, snapshots)
