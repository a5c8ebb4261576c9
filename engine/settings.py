"""Every option of a run, defined once.

The command line, the window's panels, saved settings and the tests all read
the defaults and help texts from :class:`Settings`; nothing else defines them.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from . import validation
from .errors import StyleError
from .validation import INIT_KINDS, VGG19_LAYERS  # noqa: F401 - the window's panels read them here

# "conv4_2" in Gatys et al. is the Caffe blob after the in-place ReLU, so the
# paper's layers are our relu* outputs; conv* names give the pre-ReLU maps.
PAPER_CONTENT_LAYERS = {"relu4_2": 1.0}
PAPER_STYLE_LAYERS = {f"relu{i}_1": 1.0 for i in range(1, 6)}


def _opt(default: Any, help: str, choices: tuple | None = None, **extra: Any) -> Any:
    meta = {"help": help, "choices": choices, **extra}
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class Settings:
    """All the knobs of one style-transfer run, with their defaults."""

    # --- size and iterations -------------------------------------------------
    size: int = _opt(512, "Long side of the output in pixels.", group="Output")
    iterations: int = _opt(
        300, "Optimisation steps (one L-BFGS step = one iteration) with quality custom.", group="Output"
    )
    seed: int = _opt(0, "Random seed; the same seed gives the same picture on the same device.", group="Output")
    quality: str = _opt(
        "normal",
        "Draft, normal or fine: how much work the automatic schedule does (AdaIN start, "
        "quarter, half and full size, each pass ending when the loss settles). custom runs "
        "exactly the iterations and scales given; --iterations or --scales on the command "
        "line choose custom.",
        ("draft", "normal", "fine", "custom"),
        group="Output",
    )

    # --- balance ---------------------------------------------------------------
    style_strength: float = _opt(
        1.5,
        "How strongly the style is applied, on a log scale: the style weight is "
        "10**strength times the content weight (alpha/beta = 10**-strength).",
        group="Balance",
    )
    content_weight: float = _opt(1.0, "Weight alpha of the content loss.", group="Balance")
    tv_weight: float = _opt(1.0, "Total-variation weight: smooths high-frequency noise.", group="Balance")

    # --- layers ----------------------------------------------------------------
    content_layers: dict = _opt(
        dict(PAPER_CONTENT_LAYERS),
        "Content layers with their weights, e.g. relu4_2:1 (names conv1_1..conv5_4 / relu1_1..relu5_4).",
        group="Layers",
    )
    style_layers: dict = _opt(
        dict(PAPER_STYLE_LAYERS),
        "Style layers with their weights, e.g. relu1_1:1,relu2_1:1 (weights are normalised to sum 1).",
        group="Layers",
    )

    # --- styles ----------------------------------------------------------------
    style_blend: list = _opt(
        [], "Blend weights, one per style image (default: equal).", group="Style"
    )
    style_scale: float = _opt(
        1.0, "Size of the style images relative to the output's long side.", group="Style"
    )

    style_scales: list = _opt(
        [], "Per-style-image scale, one per style (overrides style-scale for that image).", group="Style"
    )
    local_window: int = _opt(
        0,
        "Nikulin & Novak's localised style loss: window in feature pixels for position-wise "
        "correlations (0 = off, the usual global Gram matrices).",
        group="Style",
        zero="off",
    )

    # --- colour (Gatys et al. 2017) ----------------------------------------------
    color: str = _opt(
        "none",
        "Colour control: none, luminance (transfer on luminance only, keep the photo's colours), "
        "histogram (recolour the style to the photo's colours first) or original (put the "
        "photo's colours back afterwards).",
        ("none", "luminance", "histogram", "original"),
        group="Colour",
    )
    histogram_mode: str = _opt(
        "chol", "Square root used by histogram matching.", ("chol", "pca", "sym"), group="Colour"
    )
    match_luminance: bool = _opt(
        True, "With luminance-only transfer, match the style's luminance mean and spread to the photo's.",
        group="Colour",
    )

    # --- masks (spatial control) ---------------------------------------------------
    mask_propagation: str = _opt(
        "simple",
        "How masks reach each layer: simple down-sampling, or inside (only neurons whose "
        "receptive field lies in the region; needs regions wider than the deepest layer's field).",
        ("simple", "inside"),
        group="Masks",
    )
    mask_method: str = _opt(
        "gram", "Guided Gram matrices per region, or the cheaper guided sums.", ("gram", "sums"), group="Masks"
    )
    mask_global_weight: float = _opt(
        0.0, "Weight of an extra global (unmasked) style term alongside the regions.", group="Masks"
    )
    region_weights: list = _opt([], "Weight of each mask region, in colour order (default equal).", group="Masks")

    # --- scale ---------------------------------------------------------------------
    scales: list = _opt(
        [],
        "Coarse-to-fine sizes, e.g. 256,512,1024: each pass starts from the up-sampled result of "
        "the one before; the last entry is the output size (overrides size).",
        group="Scale",
    )
    scale_iterations: list = _opt(
        [], "Iterations of each coarse-to-fine pass (default: iterations for each).", group="Scale"
    )

    tile_size: int = _opt(
        0,
        "Optimise the last pass in overlapping tiles of this many pixels (0: only when the size "
        "does not fit in memory, with the largest tile that fits).",
        group="Scale",
        zero="auto",
    )
    tile_overlap: int = _opt(96, "Overlap of neighbouring tiles in pixels; the seams are feathered.", group="Scale")

    # --- photorealism (Luan et al. 2017) ----------------------------------------------
    photoreal: bool = _opt(
        False,
        "Deep Photo Style Transfer: stage 1 stylises with the (masked) style loss, stage 2 adds "
        "the matting-Laplacian term so colours change but edges stay put.",
        group="Photoreal",
    )
    photoreal_weight: float = _opt(
        1e3, "Weight lambda of the photorealism term (rescaled from the paper's 1e4).", group="Photoreal"
    )
    photoreal_stage1: int = _opt(100, "Iterations of stage 1 (stage 2 runs `iterations`).", group="Photoreal")
    refine: bool = _opt(
        True, "Photoreal: snap the result to a local affine transform of the photo (guided filter).",
        group="Photoreal",
    )

    # --- optimiser -------------------------------------------------------------
    init: str = _opt(
        "auto",
        "Start image: content, noise, style, adain (the instant AdaIN result) or the path of an image file; "
        "auto: adain for the quality presets, content with quality custom.",
        group="Optimiser",
    )
    optimizer: str = _opt("lbfgs", "Optimiser.", ("lbfgs", "adam"), group="Optimiser")
    learning_rate: float = _opt(
        1.0, "Step size: L-BFGS step (1 is right), Adam uses this times 0.02.", group="Optimiser"
    )
    lbfgs_history: int = _opt(100, "L-BFGS history size.", group="Optimiser", label="L-BFGS history")
    step_rule: str = _opt(
        "auto",
        "How L-BFGS picks its step: wolfe (torch's line search, which reads the loss back at every "
        "evaluation) or sync-free (a trust-radius step decided on the device, so a GPU never waits). "
        "auto: sync-free on the CPU and NVIDIA GPUs (the same or lower loss for each iteration, and the "
        "picture never gets worse), wolfe on Apple's Metal.",
        ("auto", "wolfe", "sync-free"),
        group="Optimiser",
    )

    # --- network ---------------------------------------------------------------
    weights: str = _opt(
        "",
        "VGG weights file; empty uses the bundled normalised VGG-19. Torchvision "
        "and Caffe-converted (neural-style-pt) VGG-19/VGG-16 files work too.",
        group="Network",
    )
    weights_format: str = _opt(
        "auto", "Layout of the weights file.", ("auto", "normalised", "torchvision", "caffe"), group="Network"
    )
    pooling: str = _opt("avg", "Pooling (the paper uses average pooling).", ("avg", "max"), group="Network")
    padding: str = _opt("reflect", "Convolution padding.", ("reflect", "zero"), group="Network")

    # --- device ----------------------------------------------------------------
    device: str = _opt("auto", "Compute device.", ("auto", "cpu", "cuda", "mps"), group="Device")
    precision: str = _opt(
        "auto",
        "Network precision: auto uses bf16 where the hardware is fast at it.",
        ("auto", "fp32", "bf16"),
        group="Device",
    )

    compile: str = _opt(
        "off",
        "Compile the loss with torch.compile: pays only for long GPU runs (each new size compiles for "
        "tens of seconds); falls back to normal running if the compiler is missing.",
        ("off", "on"),
        group="Device",
    )

    # --- progress --------------------------------------------------------------
    preview_every: int = _opt(10, "Send a preview image every N iterations (0: never).", group="Output", zero="never")
    sync_every: int = _opt(
        0,
        "Read the loss back for progress every N iterations in the sync-free loop "
        "(0: every iteration on the CPU, every 10 on GPUs).",
        group="Device",
        zero="auto",
    )

    # ------------------------------------------------------------------------
    @property
    def style_weight(self) -> float:
        """beta: the style loss weight that the strength stands for."""
        return self.content_weight * 10.0 ** self.style_strength

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

    @property
    def alpha_beta(self) -> float:
        """alpha/beta in this engine's loss normalisation (see README)."""
        return 10.0 ** -self.style_strength

    def __post_init__(self) -> None:
        validation.check(self)  # once, when made: nothing downstream checks again

    def check_style_count(self, n_styles: int) -> "Settings":
        """StyleError unless the per-style lists fit `n_styles` style images."""
        validation.check_style_count(self, n_styles)
        return self

    def validate(self, n_styles: int | None = None) -> "Settings":
        """The window's name for check_style_count: the values themselves were
        checked when this Settings was made."""
        return self if n_styles is None else self.check_style_count(n_styles)

    # --- serialisation -----------------------------------------------------------
    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> "Settings":
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise StyleError(
                f"Unknown setting(s) {', '.join(unknown)}; valid settings are {', '.join(sorted(names))}."
            )
        if "quality" not in data:  # written before the quality presets: its iterations and scales held
            data = {"quality": "custom", "init": data.get("init", "content"), **data}
        return cls(**data)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)


def option_fields() -> list[dataclasses.Field]:
    """The fields in declaration order, for building forms and flags."""
    return list(dataclasses.fields(Settings))
