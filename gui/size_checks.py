"""The engine's up-front checks (engine/pipeline/checks.py, and the style
count of engine/validation.py) in the window's words: the command line says
"use --size 51 or more", the window names the control to change, with the
label its panel shows (engine/fields.py). Run and Export video make the same
checks the command line makes, through `fits_before_work`."""

from __future__ import annotations

from engine.errors import StyleError
from engine.pipeline.checks import check_sizes, check_style_memory
from engine.pipeline.stages import output_size
from engine.settings import Settings
from engine.validation import check_style_count

from .dialogs import show_message, window_text
from .wording import label, window_fixes


def window_settings(settings: Settings, n_styles: int) -> Settings:
    """`settings` when its per-style lists have one entry per style image; a StyleError naming the control."""
    check_style_count(settings, n_styles, label)
    return settings


def fits_before_work(parent, doc, settings, doing: str) -> bool:
    """The checks the command line makes before any work, made before a Run or a video export
    (`doing`: "run", "export"): sizes the network can take, style images that fit in memory."""
    return sizes_fit(parent, doc, settings, f"Cannot {doing} at this size") and style_memory_fits(
        parent, doc, settings, "Not enough memory for the style images"
    )


def sizes_fit(parent, doc, settings, title: str) -> bool:
    """Whether the network can take the document's content and style images at these settings;
    when not, the one sentence saying what to set, in a dialog titled `title`."""
    content_hw = doc.content.rgb.shape[:2] if doc.content is not None else None
    try:
        check_sizes(content_hw, [s.rgb.shape[:2] for s in doc.styles], settings, window_fixes())
    except StyleError as exc:
        show_message(parent, title, window_text(exc))
        return False
    return True


def style_memory_fits(parent, doc, settings, title: str) -> bool:
    """Whether the style images' Gram targets fit in the free memory beside a run on the content
    at these settings, as the command line checks it; when not, the sentence in a dialog."""
    from engine.pipeline.memory import estimate_bytes  # local: imports torch, which the window loads late

    content = doc.content.rgb if doc.content is not None else None
    out_wh = output_size(content, [s.rgb for s in doc.styles], settings.output_size)
    try:
        check_style_memory(
            [s.rgb.shape[:2] for s in doc.styles], settings, estimate_bytes(out_wh, settings), window_fixes()
        )
    except StyleError as exc:
        show_message(parent, title, window_text(exc))
        return False
    return True
