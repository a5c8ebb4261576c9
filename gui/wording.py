"""The engine's words in the window's: where the command line says "use --size 51 or more", the
window names the control to change, with the label its Options panel shows (engine/fields.py).

`window_fixes` words the size and memory advice the engine builds for each face; `in_window_words`
rewrites any other engine message that names a command-line option."""

from __future__ import annotations

import dataclasses
import re

from engine.pipeline.advice import Fixes
from engine.settings import Settings

FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
# Options that are no Settings field, or are edited in the Layers table, in the window's words.
OTHER_PLACES = {
    "content_layers": "the Content column of the Layers table",
    "style_layers": "the Style column of the Layers table",
    "content_mask": "a content mask (Mask editor)",
    "style_mask": "style masks (Mask editor)",
    "style_masks": "style masks (Mask editor)",
}
_OPTION = r"(?<![\w-])--([a-z][a-z0-9-]*)"
_VALUE = r"\d+(?:\.\d+)?|[a-z][\w-]*"
# Phrases no word-for-word rewrite reads well in: (pattern, words(match, control)).
_PHRASES = (
    # The window asks before it replaces anything, so only the other way out is left.
    (re.compile(r",? or pass --overwrite to [^.;]*"), lambda m, control: ""),
    (
        re.compile(r"the largest size that fits now is about --size (\d+)"),
        lambda m, control: f"the largest {control('size')} that fits now is about {m[1]}",
    ),
    (re.compile(r"\bpass --weights FILE\b"), lambda m, control: f"choose a file in {control('weights')}"),
    (re.compile(r"\badd --content-mask\b"), lambda m, control: "add a content mask in the Mask editor"),
    # "--device cuda was asked for but ..."
    (
        re.compile(rf"{_OPTION} ({_VALUE}) was asked for\b"),
        lambda m, control: f"{control(m[1].replace('-', '_'))} is set to {_shown(m[1].replace('-', '_'), m[2])}",
    ),
)
# "--color must be one of none, luminance, ...": the names the control's list shows.
_ONE_OF = re.compile(rf"{_OPTION} must be one of ((?:{_VALUE})(?:, (?:{_VALUE}))*)")
# "use --device auto or cpu", "set --tile-size 0 or ...": set the control to those values.
_SET_TO = re.compile(rf"\b(?:use|set) (every entry of )?{_OPTION} ((?:{_VALUE})(?:(?:, | or )(?:{_VALUE}))*)")


def _shown(name: str, value: str) -> str:
    """A value of field `name` as its editor shows it: a list's name for it, quoted, or the number."""
    meta = FIELDS[name].metadata if name in FIELDS else {}
    names = dict(meta.get("names") or {}, **({"0": meta["zero"]} if meta.get("zero") else {}))
    return f'"{names[value]}"' if value in names else value


def label(name: str) -> str:
    """The Settings panel's label of field `name`."""
    return FIELDS[name].metadata["label"]


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


def in_window_words(text: str) -> str:
    """`text` (an engine message) with every command-line option that the window shows named as
    the window names it: its label in the Options panel, "(Advanced)" at its first mention when only
    the Advanced view shows it; a choice's value by the name its list shows. Options the window has
    no control for (--jobs, pip's --force-reinstall) are left as they are."""
    seen: set[str] = set()

    def control(name: str) -> str | None:
        f = FIELDS.get(name)
        place = OTHER_PLACES.get(name) or (f.metadata.get("label") if f is not None else None)
        if place is None or f is None or f.metadata.get("level") == "basic" or name in seen:
            return place
        seen.add(name)
        return f"{place} (Advanced)"

    def set_to(m: re.Match) -> str:
        name = m[2].replace("-", "_")
        place = control(name)
        if place is None:
            return m[0]
        values = re.sub(_VALUE, lambda v: _shown(name, v[0]), m[3])
        return f"set {m[1] or ''}{place} to {values}"

    def one_of(m: re.Match) -> str:
        name = m[1].replace("-", "_")
        values = re.sub(_VALUE, lambda v: _shown(name, v[0]), m[2])
        return f"{control(name) or m[0].split(' ')[0]} must be one of {values}"

    def option(m: re.Match) -> str:
        return control(m[1].replace("-", "_")) or m[0]

    words = text
    for pattern, say in _PHRASES:
        words = pattern.sub(lambda m, say=say: say(m, control), words)
    words = re.sub(_OPTION, option, _SET_TO.sub(set_to, _ONE_OF.sub(one_of, words)))
    return words[:1].upper() + words[1:] if text.startswith("--") else words
