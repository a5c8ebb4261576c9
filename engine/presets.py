"""Named starting points, shared by the window's preset menu and `--preset`.

A preset names only the fields it changes. On the command line the rest keep
the values given before it (`apply_preset`); in the window a preset starts
from the defaults for every field any preset names, so presets never stack
(`choose_preset`), and `matching_preset` tells which one the settings show.
"""

from __future__ import annotations

from .errors import StyleError
from .settings import PAPER_CONTENT_LAYERS, PAPER_STYLE_LAYERS, Settings

PRESETS: dict[str, tuple[str, dict]] = {
    "default": ("Default", {}),
    "paper": (
        "Paper (Gatys et al. 2016)",
        dict(
            content_layers=dict(PAPER_CONTENT_LAYERS),
            style_layers=dict(PAPER_STYLE_LAYERS),
            style_strength=3.0,
            init="noise",
            optimizer="lbfgs",
            pooling="avg",
            tv_weight=0.0,
            quality="custom",
        ),
    ),
    "quick": ("Quick look (256 px, draft quality)", dict(size=256, quality="draft")),
    "strong": ("Strong style", dict(style_strength=3.0, tv_weight=1.0)),
    "fine": (
        "Fine detail (shallow style layers)",
        dict(style_layers={"relu1_1": 1.0, "relu2_1": 1.0, "relu3_1": 0.5}, style_strength=2.5),
    ),
    "partial": (
        "Partial style transfer (Nikulin & Novak)",
        # Low layers move to the content side: the photo keeps its colours
        # and fine detail, the painting gives its larger-scale structure.
        dict(
            content_layers={"relu1_1": 1.0, "relu2_1": 1.0, "relu4_2": 1.0},
            style_layers={"relu3_1": 1.0, "relu4_1": 1.0, "relu5_1": 1.0},
            style_strength=2.5,
        ),
    ),
    "photoreal": (
        "Photorealistic (Luan et al. 2017)",
        # Tuned on the day -> sunset lake pair: the style must be strong enough
        # to move the colours, the Laplacian term keeps the edges in place.
        dict(photoreal=True, style_strength=3.0, photoreal_weight=1e4, refine=True, init="content"),
    ),
}


# Every field some preset sets: choosing a preset puts these back to their
# defaults first, so "Strong style" after "Fine detail" is not a mix of both.
# The output size is the user's choice, not part of a look: only "quick"
# sets it, no other preset resets it, and it does not decide which preset
# the settings show.
OWN_CHOICE = ("size",)
COVERED = tuple(sorted({name for _, changes in PRESETS.values() for name in changes} - set(OWN_CHOICE)))
CUSTOM = "custom"


def apply_preset(name: str, base: Settings | None = None) -> Settings:
    """The preset's changes on top of `base` (the command line's --preset)."""
    if name not in PRESETS:
        raise StyleError(f"Unknown preset {name!r}; choose one of {', '.join(PRESETS)}.")
    return (base or Settings()).replace(**PRESETS[name][1])


def choose_preset(name: str, current: Settings) -> Settings:
    """The window's preset: every covered field from the defaults, then the
    preset's values; fields no preset names (device, weights, ...) stay."""
    defaults = Settings()
    reset = current.replace(**{field: getattr(defaults, field) for field in COVERED})
    return apply_preset(name, reset)


def matching_preset(settings: Settings) -> str:
    """The preset these settings show, or CUSTOM after an edit."""
    for name in PRESETS:
        chosen = choose_preset(name, settings)
        if chosen.replace(**{f: getattr(settings, f) for f in OWN_CHOICE}) == settings:
            return name
    return CUSTOM
