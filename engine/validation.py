"""Checking a Settings, once, when it is made (Settings.__post_init__).

Every message names the option as the command line spells it and says what
to do. Nothing downstream re-checks the values; `check_style_count` checks
the one thing only a run knows, the number of style images.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from .errors import StyleError

VGG19_LAYERS = (
    "conv1_1 conv1_2 conv2_1 conv2_2 conv3_1 conv3_2 conv3_3 conv3_4 "
    "conv4_1 conv4_2 conv4_3 conv4_4 conv5_1 conv5_2 conv5_3 conv5_4"
).split()
# The layers a setting may name: the convolutions and their ReLUs (pools left out).
LAYER_NAMES = frozenset(n for conv in VGG19_LAYERS for n in (conv, "relu" + conv[4:]))
# The named start images; --init also takes an image file's path.
INIT_KINDS = ("auto", "adain", "content", "noise", "style")

MAX_SEED = 2**32 - 1
STRENGTH_LIMIT = 12  # 10**12 is already far past any useful style weight; 10**400 overflows
MAX_LOCAL_WINDOW = 64  # feature pixels; larger windows need tens of GB


def _check_types(settings) -> None:
    """Every value has its default's type (settings files can hold anything)."""
    kinds = {
        bool: "on or off (true/false)",
        int: "a whole number",
        float: "a number",
        str: "a word",
        dict: "a list of layer:weight pairs",
        list: "a list of numbers",
    }
    for f in dataclasses.fields(settings):
        value, default = getattr(settings, f.name), f.default if f.default is not dataclasses.MISSING else None
        kind = type(default) if default is not None else type(f.default_factory())
        ok = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if ok and kind is dict:
            ok = all(
                isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) for k, v in value.items()
            )
        if ok and kind is list:
            ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        if not ok:
            raise StyleError(f"{_flag(f.name)} must be {kinds[kind]}, not {value!r}.")


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _layer_order(name: str) -> tuple:
    block, idx = name[4:].split("_")  # conv4_2 and relu4_2 both have four letters
    return (int(block), int(idx), name.startswith("relu"))


def _check_number(name: str, value: Any, allow_negative: bool = False) -> None:
    label = _flag(name) if " " not in name else name
    if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value) or math.isinf(value):
        raise StyleError(f"{label} must be a number, not {value!r}.")
    if value < 0 and not allow_negative:
        raise StyleError(f"{label} must not be negative (got {value}).")


def check(settings) -> None:
    """Check every value; raise StyleError naming the option and the fix."""
    _check_choices(settings)
    _check_ranges(settings)
    _check_lists(settings)
    _check_layers(settings)
    _check_upper_limits(settings)


def _check_choices(settings) -> None:
    """Values from a fixed list, and every value of its default's type."""
    for f in dataclasses.fields(settings):
        choices = f.metadata.get("choices")
        value = getattr(settings, f.name)
        if choices and value not in choices:
            raise StyleError(f"{_flag(f.name)} must be one of {', '.join(choices)}, not {value!r}.")
    _check_types(settings)


def _check_ranges(settings) -> None:
    """Single numbers inside their ranges."""
    if not 32 <= settings.size <= 16384:
        raise StyleError(f"--size must be between 32 and 16384 pixels, not {settings.size}.")
    for name in ("iterations", "sync_every", "photoreal_stage1", "preview_every"):
        if getattr(settings, name) < 0:
            raise StyleError(f"{_flag(name)} must be a whole number of 0 or more, not {getattr(settings, name)}.")
    if not 0 <= settings.seed <= MAX_SEED:
        raise StyleError(f"--seed must be between 0 and {MAX_SEED}, not {settings.seed}.")
    if not -STRENGTH_LIMIT <= settings.style_strength <= STRENGTH_LIMIT:
        raise StyleError(
            f"--style-strength must be between -{STRENGTH_LIMIT} and {STRENGTH_LIMIT} "
            f"(it is a power of ten), not {settings.style_strength:g}."
        )
    if settings.local_window > MAX_LOCAL_WINDOW:
        raise StyleError(
            f"--local-window must be at most {MAX_LOCAL_WINDOW} feature pixels "
            f"(0 turns it off), not {settings.local_window}."
        )
    for name in (
        "style_strength",
        "content_weight",
        "tv_weight",
        "style_scale",
        "learning_rate",
        "mask_global_weight",
        "photoreal_weight",
    ):
        _check_number(name, getattr(settings, name), allow_negative=(name == "style_strength"))
    if settings.style_scale <= 0:
        raise StyleError("--style-scale must be greater than 0 (1 means the output's size).")
    if settings.learning_rate == 0:
        raise StyleError("--learning-rate must be greater than 0 (a step of 0 never changes the picture).")
    if settings.init not in INIT_KINDS and not settings.init.strip():
        raise StyleError("--init must be auto, content, noise, style, adain or an image file.")


def _check_lists(settings) -> None:
    """Scales, tiles, the L-BFGS memory and the other lists."""
    for name in ("scales", "scale_iterations"):
        for v in getattr(settings, name):
            finite = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            if (
                not finite
                or v != int(v)
                or v < (32 if name == "scales" else 0)
                or v > (16384 if name == "scales" else 10**7)
            ):
                raise StyleError(
                    f"{_flag(name)} must list whole numbers"
                    + (" between 32 and 16384 px." if name == "scales" else " of 0 or more.")
                )
    if settings.scale_iterations and len(settings.scale_iterations) != len(settings.scales):
        raise StyleError("--scale-iterations needs one count per entry of --scales.")
    for name in ("style_scales", "region_weights"):
        for v in getattr(settings, name):
            _check_number(f"{_flag(name)}: each entry", v)
    if settings.tile_size and settings.tile_size < 128:
        raise StyleError("--tile-size must be 0 (automatic) or at least 128 pixels.")
    if settings.tile_overlap < 0 or (settings.tile_size and settings.tile_overlap >= settings.tile_size // 2):
        raise StyleError("--tile-overlap must be between 0 and half the tile size.")
    if settings.lbfgs_history < 1:
        raise StyleError("--lbfgs-history must be at least 1 (the default is 100).")
    if settings.local_window < 0:
        raise StyleError("--local-window must be 0 (off) or a window size in feature pixels.")


def _check_layers(settings) -> None:
    """Layer names and weights, at least one layer, and the blend weights."""
    for kind in ("content_layers", "style_layers"):
        for layer, weight in getattr(settings, kind).items():
            if layer not in LAYER_NAMES:
                raise StyleError(
                    f"Unknown layer {layer!r} in {_flag(kind)}. Valid layers: "
                    f"{', '.join(sorted(LAYER_NAMES, key=_layer_order))}."
                )
            _check_number(f"The weight of {layer} in {_flag(kind)}", weight)
    if not settings.content_layers and not settings.style_layers:
        raise StyleError("Choose at least one content or style layer.")
    for w in settings.style_blend:
        _check_number("--style-blend: each style blend weight", w)
    if settings.style_blend and sum(settings.style_blend) <= 0:
        raise StyleError("--style-blend weights must not all be 0.")


def _check_upper_limits(settings) -> None:
    """Whole numbers no larger than the window's own control allows: a settings file
    or a flag can say 10**20 iterations, which torch cannot count (it overflows int64),
    or an L-BFGS history whose m x m matrices alone need tens of GB."""
    for f in dataclasses.fields(settings):
        value, limits = getattr(settings, f.name), f.metadata.get("limits")
        if limits and isinstance(value, int) and not isinstance(value, bool) and value > limits[1]:
            raise StyleError(f"{_flag(f.name)} must be at most {limits[1]}, not {value}.")


def check_style_count(settings, n_styles: int, name=_flag) -> None:
    """Per-style lists (--style-scales, --style-blend) have one entry per style image;
    `name(field)` is what the face calls the option (the window: its control's label)."""
    images = f"is {n_styles} style image" if n_styles == 1 else f"are {n_styles} style images"
    if settings.style_scales and len(settings.style_scales) != n_styles:
        raise StyleError(
            f"{name('style_scales')} has {len(settings.style_scales)} values but there {images}; "
            "give one scale per style image."
        )
    if settings.style_blend and len(settings.style_blend) != n_styles:
        raise StyleError(
            f"{name('style_blend')} has {len(settings.style_blend)} weights but there {images}; "
            "give one weight per style image."
        )
