"""The engine's up-front checks (engine/pipeline/checks.py, and the style
count of engine/validation.py) in the window's words: the command line says
"use --size 51 or more", the window names the control to change, with the
label its panel shows (engine/fields.py)."""

from __future__ import annotations

import dataclasses

from engine.errors import StyleError
from engine.pipeline.checks import Fixes, check_sizes, check_style_memory
from engine.pipeline.stages import output_size
from engine.settings import Settings
from engine.validation import check_style_count

from .dialogs import show_message


def window_settings(settings: Settings, n_styles: int) -> Settings:
    """`settings` when its per-style lists have one entry per style image; a StyleError naming the control."""
    check_style_count(settings, n_styles, _label)
    return settings


def _label(name: str) -> str:
    return next(f.metadata["label"] for f in dataclasses.fields(Settings) if f.name == name)


def window_fixes() -> Fixes:
    """Fixes naming the Settings panel's controls by their labels."""
    size, scales, style_scale = _label("size"), _label("scales"), _label("style_scale")
    return Fixes(
        size=f"set {size} to {{n}} or more",
        scales=f"set every entry of {scales} to {{n}} or more",
        style_scale=f"set {style_scale} to {{k}} or more",
        style_scale_fits=f"the largest {style_scale} that fits is about {{k}}",
        lower_size=f"lower {size}",
    )


def sizes_fit(parent, doc, settings, title: str) -> bool:
    """Whether the network can take the document's content and style images at these settings;
    when not, the one sentence saying what to set, in a dialog titled `title`."""
    content_hw = doc.content.rgb.shape[:2] if doc.content is not None else None
    try:
        check_sizes(content_hw, [s.rgb.shape[:2] for s in doc.styles], settings, window_fixes())
    except StyleError as exc:
        show_message(parent, title, str(exc))
        return False
    return True


def style_memory_fits(parent, doc, settings, title: str) -> bool:
    """Whether the style images' Gram targets fit in the free memory beside a run on the content
    at these settings, as the command line checks it; when not, the sentence in a dialog."""
    from engine.pipeline.memory import estimate_bytes  # local: imports torch, which the window loads late

    out_wh = output_size(doc.content.rgb, [], settings.output_size)
    try:
        check_style_memory(
            [s.rgb.shape[:2] for s in doc.styles], settings, estimate_bytes(out_wh, settings), window_fixes()
        )
    except StyleError as exc:
        show_message(parent, title, str(exc))
        return False
    return True
