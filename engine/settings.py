"""Every option of a run, defined once.

The command line, the window's panels, saved settings and the tests all read
the defaults and help texts from :class:`Settings`; nothing else defines them.
A Settings checks its values when it is made (engine/validation.py).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from . import validation
from .errors import StyleError
from .fields import PAPER_CONTENT_LAYERS, PAPER_STYLE_LAYERS, PictureFields, _opt  # noqa: F401 - read here by presets and the window
from .validation import INIT_KINDS, MAX_LOCAL_WINDOW, MAX_SEED, STRENGTH_LIMIT, VGG19_LAYERS  # noqa: F401 - the window reads them here


@dataclass
class Settings(PictureFields):
    """All the knobs of one style-transfer run, with their defaults: what the
    picture is (engine/fields.py), then how the run computes it."""

    # --- optimiser -------------------------------------------------------------
    init: str = _opt(
        "auto",
        "Start image: content, noise, style, adain (the instant AdaIN result) or the path of an image file; "
        "auto: adain for the quality presets, content with quality custom.",
        group="Optimiser",
        label="Start from",
        names={
            "auto": "Automatic",
            "adain": "AdaIN preview",
            "content": "The photo",
            "noise": "Noise",
            "style": "The painting",
        },
    )
    optimizer: str = _opt(
        "lbfgs",
        "Optimiser.",
        ("lbfgs", "adam"),
        group="Optimiser",
        label="Optimiser",
        names={"lbfgs": "L-BFGS", "adam": "Adam"},
    )
    learning_rate: float = _opt(
        1.0,
        "Step size: L-BFGS step (1 is right), Adam uses this times 0.02.",
        group="Optimiser",
        label="Step size",
    )
    lbfgs_history: int = _opt(100, "L-BFGS history size.", group="Optimiser", label="L-BFGS history", limits=(1, 1000))
    step_rule: str = _opt(
        "auto",
        "How L-BFGS picks its step: wolfe (torch's line search, which reads the loss back at every "
        "evaluation) or sync-free (a trust-radius step decided on the device, so a GPU never waits). "
        "auto: sync-free on the CPU and NVIDIA GPUs (the same or lower loss for each iteration, and the "
        "picture never gets worse), wolfe on Apple's Metal.",
        ("auto", "wolfe", "sync-free"),
        group="Optimiser",
        label="L-BFGS step rule",
        names={"auto": "Automatic", "wolfe": "Line search (Wolfe)", "sync-free": "Trust radius (sync-free)"},
    )

    # --- network ---------------------------------------------------------------
    weights: str = _opt(
        "",
        "VGG weights file; empty uses the bundled normalised VGG-19. Torchvision "
        "and Caffe-converted (neural-style-pt) VGG-19/VGG-16 files work too.",
        group="Network",
        label="Network weights file",
    )
    weights_format: str = _opt(
        "auto",
        "Layout of the weights file.",
        ("auto", "normalised", "torchvision", "caffe"),
        group="Network",
        label="Weights layout",
        names={
            "auto": "Detect",
            "normalised": "Normalised VGG-19",
            "torchvision": "torchvision",
            "caffe": "Caffe (neural-style)",
        },
    )
    pooling: str = _opt(
        "avg",
        "Pooling (the paper uses average pooling).",
        ("avg", "max"),
        group="Network",
        label="Pooling",
        names={"avg": "Average", "max": "Maximum"},
    )
    padding: str = _opt(
        "reflect",
        "Convolution padding.",
        ("reflect", "zero"),
        group="Network",
        label="Padding",
        names={"reflect": "Mirror", "zero": "Zeros"},
    )

    # --- device ----------------------------------------------------------------
    device: str = _opt(
        "auto",
        "Compute device.",
        ("auto", "cpu", "cuda", "mps"),
        group="Device",
        label="Device",
        names={
            "auto": "Automatic",
            "cpu": "CPU",
            "cuda": "NVIDIA GPU (CUDA)",
            "mps": "Apple GPU (Metal)",
        },
    )
    precision: str = _opt(
        "auto",
        "Network precision: auto uses bf16 where the hardware is fast at it.",
        ("auto", "fp32", "bf16"),
        group="Device",
        label="Precision",
        names={"auto": "Automatic", "fp32": "32-bit float", "bf16": "bfloat16 (fast on new CPUs)"},
    )

    compile: str = _opt(
        "off",
        "Compile the loss with torch.compile: pays only for long GPU runs (each new size compiles for "
        "tens of seconds); falls back to normal running if the compiler is missing.",
        ("off", "on"),
        group="Device",
        label="Compile (torch.compile)",
        names={"off": "Off", "on": "On"},
    )

    # --- progress --------------------------------------------------------------
    preview_every: int = _opt(
        10,
        "Send a preview image every N iterations (0: never).",
        group="Output",
        zero="never",
        label="Preview every (iterations)",
        limits=(0, 10000),
    )
    sync_every: int = _opt(
        0,
        "Read the loss back for progress every N iterations in the sync-free loop "
        "(0: every iteration on the CPU, every 10 on GPUs).",
        group="Device",
        zero="auto",
        label="Read the loss every (iterations)",
        limits=(0, 10000),
    )

    # ------------------------------------------------------------------------
    @property
    def style_weight(self) -> float:
        """beta: the style loss weight that the strength stands for."""
        return self.content_weight * 10.0**self.style_strength

    @property
    def output_size(self) -> int:
        """Long side of the final output: the last coarse-to-fine scale, or size."""
        return int(self.scales[-1]) if self.scales else self.size

    @property
    def passes(self) -> list[tuple[int, int]]:
        """(long side, iterations) of each coarse-to-fine pass."""
        if not self.scales:
            return [(self.size, self.iterations)]
        its = self.scale_iterations or [self.iterations] * len(self.scales)
        return [(int(s), int(n)) for s, n in zip(self.scales, its)]

    def __post_init__(self) -> None:
        validation.check(self)  # once, when made: nothing downstream checks again

    def check_style_count(self, n_styles: int) -> Settings:
        """StyleError unless the per-style lists fit `n_styles` style images."""
        validation.check_style_count(self, n_styles)
        return self

    def validate(self, n_styles: int | None = None) -> Settings:
        """The window's name for check_style_count: the values themselves were
        checked when this Settings was made."""
        return self if n_styles is None else self.check_style_count(n_styles)

    # --- serialisation -----------------------------------------------------------
    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> Settings:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise StyleError(f"Unknown setting(s) {', '.join(unknown)}; valid settings are {', '.join(sorted(names))}.")
        if "quality" not in data:  # written before the quality presets: its iterations and scales held
            data = {"quality": "custom", "init": data.get("init", "content"), **data}
        return cls(**data)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def option_fields() -> list[dataclasses.Field]:
    """The fields in declaration order, for building forms and flags."""
    return list(dataclasses.fields(Settings))
