"""The engine's advice in the window's words: where the command line says "use --size 51 or
more", the window names the control to change, with the label its panel shows (engine/fields.py)."""

from __future__ import annotations

import dataclasses

from engine.pipeline.advice import Fixes
from engine.settings import Settings


def label(name: str) -> str:
    """The Settings panel's label of field `name`."""
    return next(f.metadata["label"] for f in dataclasses.fields(Settings) if f.name == name)


def window_fixes() -> Fixes:
    """Fixes naming the Settings panel's controls by their labels."""
    size, scales, style_scale = label("size"), label("scales"), label("style_scale")
    return Fixes(
        size=f"set {size} to {{n}} or more",
        scales=f"set every entry of {scales} to {{n}} or more",
        style_scale=f"set {style_scale} to {{k}} or more",
        style_scale_fits=f"the largest {style_scale} that fits is about {{k}}",
        lower_size=f"lower {size}",
        size_fits=f"the largest {size} that fits now is about {{n}}",
        history=f"lower {label('lbfgs_history')} (Advanced)",
    )
