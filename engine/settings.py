"""Every option of a run, defined once.

The command line, the window's panels, saved settings and the tests all read
the defaults and help texts from :class:`Settings`; nothing else defines them.
"""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

from .errors import StyleError

VGG19_LAYERS = (
    "conv1_1 conv1_2 conv2_1 conv2_2 conv3_1 conv3_2 conv3_3 conv3_4 "
    "conv4_1 conv4_2 conv4_3 conv4_4 conv5_1 conv5_2 conv5_3 conv5_4"
).split()

# "conv4_2" in Gatys et al. is the Caffe blob after the in-place ReLU, so the
# paper's layers are our relu* outputs; conv* names give the pre-ReLU maps.
PAPER_CONTENT_LAYERS = {"relu4_2": 1.0}
PAPER_STYLE_LAYERS = {f"relu{i}_1": 1.0 for i in range(1, 6)}
# The named start images; --init also takes an image file's path.
INIT_KINDS = ("auto", "adain", "content", "noise", "style")
MAX_SEED = 2**32 - 1
STRENGTH_LIMIT = 12  # 10**12 is already far past any useful style weight; 10**400 overflows
MAX_LOCAL_WINDOW = 64  # feature pixels; larger windows need tens of GB


def _opt(default: Any, help: str, choices: tuple | None = None, **extra: Any) -> Any:
    meta = {"help": help, "choices": choices, **extra}
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class Settings:
    """All the knobs of one style-transfer run, with their defaults."""

    # --- size and iterations -------------------------------------------------
    size: int = _opt(
        512, "Long side of the output in pixels.",
        group="Output", label="Size (long side, px)", level="basic", limits=(32, 16384),
    )
    iterations: int = _opt(
        300, "Optimisation steps (one L-BFGS step = one iteration) with quality custom.", group="Output",
        label="Iterations", limits=(0, 100000),
    )
    seed: int = _opt(
        0, "Random seed; the same seed gives the same picture on the same device.",
        group="Output", label="Random seed", limits=(0, MAX_SEED),
    )
    quality: str = _opt(
        "normal",
        "Draft, normal or fine: how much work the automatic schedule does (AdaIN start, "
        "quarter, half and full size, each pass ending when the loss settles). custom runs "
        "exactly the iterations and scales given; --iterations or --scales on the command "
        "line choose custom.",
        ("draft", "normal", "fine", "custom"),
        group="Output",
        label="Quality", level="basic",
        names={
            "draft": "Draft (fastest)",
            "normal": "Normal",
            "fine": "Fine (slowest)",
            "custom": "Custom (iterations and scales below)",
        },
    )

    # --- balance ---------------------------------------------------------------
    style_strength: float = _opt(
        1.5,
        "How strongly the style is applied, on a log scale: the style weight is "
        "10**strength times the content weight (alpha/beta = 10**-strength).",
        group="Balance",
        label="Style strength", level="basic", limits=(-2.0, 8.0),
    )
    content_weight: float = _opt(1.0, "Weight alpha of the content loss.", group="Balance", label="Content weight")
    tv_weight: float = _opt(
        1.0, "Total-variation weight: smooths high-frequency noise.",
        group="Balance", label="Smoothness (total variation)",
    )

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
        [], "Blend weights, one per style image (default: equal).", group="Style",
        label="Style blend",
    )
    style_scale: float = _opt(
        1.0, "Size of the style images relative to the output's long side.", group="Style",
        label="Style scale",
    )

    style_scales: list = _opt(
        [], "Per-style-image scale, one per style (overrides style-scale for that image).", group="Style",
        label="Scale of each style",
    )
    local_window: int = _opt(
        0,
        "Nikulin & Novak's localised style loss: window in feature pixels for position-wise "
        "correlations (0 = off, the usual global Gram matrices).",
        group="Style",
        zero="off",
        label="Localised style window", limits=(0, MAX_LOCAL_WINDOW),
    )

    # --- colour (Gatys et al. 2017) ----------------------------------------------
    color: str = _opt(
        "none",
        "Colour control: none, luminance (transfer on luminance only, keep the photo's colours), "
        "histogram (recolour the style to the photo's colours first) or original (put the "
        "photo's colours back afterwards).",
        ("none", "luminance", "histogram", "original"),
        group="Colour",
        label="Colour", level="basic",
        names={
            "none": "Painting's colours",
            "luminance": "Keep photo colours",
            "histogram": "Match the photo's colours",
            "original": "Photo colours afterwards",
        },
    )
    histogram_mode: str = _opt(
        "chol", "Square root used by histogram matching.", ("chol", "pca", "sym"), group="Colour",
        label="Colour matching method",
        names={"chol": "Cholesky", "pca": "Principal axes (PCA)", "sym": "Symmetric square root"},
    )
    match_luminance: bool = _opt(
        True, "With luminance-only transfer, match the style's luminance mean and spread to the photo's.",
        group="Colour",
        label="Match brightness to the photo",
    )

    # --- masks (spatial control) ---------------------------------------------------
    mask_propagation: str = _opt(
        "simple",
        "How masks reach each layer: simple down-sampling, or inside (only neurons whose "
        "receptive field lies in the region; needs regions wider than the deepest layer's field).",
        ("simple", "inside"),
        group="Masks",
        label="Mask through the layers", names={"simple": "Down-sample", "inside": "Only inside the region"},
    )
    mask_method: str = _opt(
        "gram", "Guided Gram matrices per region, or the cheaper guided sums.", ("gram", "sums"), group="Masks",
        label="Mask style loss", names={"gram": "Guided Gram matrices", "sums": "Guided sums (faster)"},
    )
    mask_global_weight: float = _opt(
        0.0, "Weight of an extra global (unmasked) style term alongside the regions.", group="Masks",
        label="Whole-image style weight",
    )
    region_weights: list = _opt(
        [], "Weight of each mask region, in colour order (default equal).",
        group="Masks", label="Region weights",
    )

    # --- scale ---------------------------------------------------------------------
    scales: list = _opt(
        [],
        "Coarse-to-fine sizes, e.g. 256,512,1024: each pass starts from the up-sampled result of "
        "the one before; the last entry is the output size (overrides size).",
        group="Scale",
        label="Scales (px)",
    )
    scale_iterations: list = _opt(
        [], "Iterations of each coarse-to-fine pass (default: iterations for each).", group="Scale",
        label="Iterations per scale",
    )

    tile_size: int = _opt(
        0,
        "Optimise the last pass in overlapping tiles of this many pixels (0: only when the size "
        "does not fit in memory, with the largest tile that fits).",
        group="Scale",
        zero="auto",
        label="Tile size (px)", limits=(0, 16384),
    )
    tile_overlap: int = _opt(
        96, "Overlap of neighbouring tiles in pixels; the seams are feathered.",
        group="Scale", label="Tile overlap (px)", limits=(0, 1024),
    )

    # --- photorealism (Luan et al. 2017) ----------------------------------------------
    photoreal: bool = _opt(
        False,
        "Deep Photo Style Transfer: stage 1 stylises with the (masked) style loss, stage 2 adds "
        "the matting-Laplacian term so colours change but edges stay put.",
        group="Photoreal",
        label="Photorealistic",
    )
    photoreal_weight: float = _opt(
        1e3, "Weight lambda of the photorealism term (rescaled from the paper's 1e4).", group="Photoreal",
        label="Photorealism weight",
    )
    photoreal_stage1: int = _opt(
        100, "Iterations of stage 1 (stage 2 runs `iterations`).",
        group="Photoreal", label="Stage 1 iterations", limits=(0, 100000),
    )
    refine: bool = _opt(
        True, "Photoreal: snap the result to a local affine transform of the photo (guided filter).",
        group="Photoreal",
        label="Snap to the photo's edges",
    )

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
        "lbfgs", "Optimiser.", ("lbfgs", "adam"),
        group="Optimiser", label="Optimiser", names={"lbfgs": "L-BFGS", "adam": "Adam"},
    )
    learning_rate: float = _opt(
        1.0, "Step size: L-BFGS step (1 is right), Adam uses this times 0.02.", group="Optimiser",
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
        "auto", "Layout of the weights file.", ("auto", "normalised", "torchvision", "caffe"), group="Network",
        label="Weights layout",
        names={
            "auto": "Detect",
            "normalised": "Normalised VGG-19",
            "torchvision": "torchvision",
            "caffe": "Caffe (neural-style)",
        },
    )
    pooling: str = _opt(
        "avg", "Pooling (the paper uses average pooling).", ("avg", "max"),
        group="Network", label="Pooling", names={"avg": "Average", "max": "Maximum"},
    )
    padding: str = _opt(
        "reflect", "Convolution padding.", ("reflect", "zero"),
        group="Network", label="Padding", names={"reflect": "Mirror", "zero": "Zeros"},
    )

    # --- device ----------------------------------------------------------------
    device: str = _opt(
        "auto", "Compute device.", ("auto", "cpu", "cuda", "mps"),
        group="Device", label="Device",
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
        label="Precision", names={"auto": "Automatic", "fp32": "32-bit float", "bf16": "bfloat16 (fast on new CPUs)"},
    )

    compile: str = _opt(
        "off",
        "Compile the loss with torch.compile: pays only for long GPU runs (each new size compiles for "
        "tens of seconds); falls back to normal running if the compiler is missing.",
        ("off", "on"),
        group="Device",
        label="Compile (torch.compile)", names={"off": "Off", "on": "On"},
    )

    # --- progress --------------------------------------------------------------
    preview_every: int = _opt(
        10, "Send a preview image every N iterations (0: never).",
        group="Output", zero="never", label="Preview every (iterations)", limits=(0, 10000),
    )
    sync_every: int = _opt(
        0,
        "Read the loss back for progress every N iterations in the sync-free loop "
        "(0: every iteration on the CPU, every 10 on GPUs).",
        group="Device",
        zero="auto",
        label="Read the loss every (iterations)", limits=(0, 10000),
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

    def validate(self, n_styles: int | None = None) -> "Settings":
        """Check every value; raise StyleError naming the option and the fix."""
        from .vgg import layer_names  # local: vgg imports torch, settings must stay light

        valid = set(layer_names("vgg19"))
        for f in dataclasses.fields(self):
            choices = f.metadata.get("choices")
            value = getattr(self, f.name)
            if choices and value not in choices:
                raise StyleError(
                    f"{_flag(f.name)} must be one of {', '.join(choices)}, not {value!r}."
                )
        _check_types(self)
        if not 32 <= self.size <= 16384:
            raise StyleError(f"--size must be between 32 and 16384 pixels, not {self.size}.")
        for name in ("iterations", "sync_every", "photoreal_stage1", "preview_every"):
            if getattr(self, name) < 0:
                raise StyleError(f"{_flag(name)} must be a whole number of 0 or more, not {getattr(self, name)}.")
        if not 0 <= self.seed <= MAX_SEED:
            raise StyleError(f"--seed must be between 0 and {MAX_SEED}, not {self.seed}.")
        if not -STRENGTH_LIMIT <= self.style_strength <= STRENGTH_LIMIT:
            raise StyleError(f"--style-strength must be between -{STRENGTH_LIMIT} and {STRENGTH_LIMIT} "
                             f"(it is a power of ten), not {self.style_strength:g}.")
        if self.local_window > MAX_LOCAL_WINDOW:
            raise StyleError(f"--local-window must be at most {MAX_LOCAL_WINDOW} feature pixels "
                             f"(0 turns it off), not {self.local_window}.")
        for name in ("style_strength", "content_weight", "tv_weight", "style_scale", "learning_rate",
                     "mask_global_weight", "photoreal_weight"):
            _check_number(name, getattr(self, name), allow_negative=(name == "style_strength"))
        if self.style_scale <= 0:
            raise StyleError("--style-scale must be greater than 0 (1 means the output's size).")
        if self.init not in INIT_KINDS and not self.init.strip():
            raise StyleError("--init must be auto, content, noise, style, adain or an image file.")
        for name in ("scales", "scale_iterations"):
            for v in getattr(self, name):
                finite = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                if not finite or v != int(v) or v < (32 if name == "scales" else 0) or v > (16384 if name == "scales" else 10**7):
                    raise StyleError(
                        f"{_flag(name)} must list whole numbers"
                        + (" between 32 and 16384 px." if name == "scales" else " of 0 or more.")
                    )
        if self.scale_iterations and len(self.scale_iterations) != len(self.scales):
            raise StyleError("--scale-iterations needs one count per entry of --scales.")
        for name in ("style_scales", "region_weights"):
            for v in getattr(self, name):
                _check_number(name.replace("_", " "), v)
        if self.tile_size and self.tile_size < 128:
            raise StyleError("--tile-size must be 0 (automatic) or at least 128 pixels.")
        if self.tile_overlap < 0 or (self.tile_size and self.tile_overlap >= self.tile_size // 2):
            raise StyleError("--tile-overlap must be between 0 and half the tile size.")
        if self.lbfgs_history < 1:
            raise StyleError("--lbfgs-history must be at least 1 (the default is 100).")
        if self.local_window < 0:
            raise StyleError("--local-window must be 0 (off) or a window size in feature pixels.")
        if n_styles is not None and self.style_scales and len(self.style_scales) != n_styles:
            raise StyleError(
                f"--style-scales has {len(self.style_scales)} values but there are {n_styles} style images; "
                "give one scale per style image."
            )
        for kind in ("content_layers", "style_layers"):
            layers = getattr(self, kind)
            for layer, weight in layers.items():
                if layer not in valid:
                    raise StyleError(
                        f"Unknown layer {layer!r} in {_flag(kind)}. Valid layers: "
                        f"{', '.join(sorted(valid, key=_layer_order))}."
                    )
                _check_number(f"{kind} weight of {layer}", weight)
        if not self.content_layers and not self.style_layers:
            raise StyleError("Choose at least one content or style layer.")
        for w in self.style_blend:
            _check_number("style blend weight", w)
        if n_styles is not None and self.style_blend and len(self.style_blend) != n_styles:
            raise StyleError(
                f"--style-blend has {len(self.style_blend)} weights but there are "
                f"{n_styles} style images; give one weight per style image."
            )
        if self.style_blend and sum(self.style_blend) <= 0:
            raise StyleError("--style-blend weights must not all be 0.")
        return self

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




def _check_types(settings: "Settings") -> None:
    """Every value has its default's type (settings files can hold anything)."""
    kinds = {bool: "on or off (true/false)", int: "a whole number", float: "a number", str: "a word",
             dict: "a list of layer:weight pairs", list: "a list of numbers"}
    for f in dataclasses.fields(settings):
        value, default = getattr(settings, f.name), f.default if f.default is not dataclasses.MISSING else None
        kind = type(default) if default is not None else type(f.default_factory())
        ok = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if ok and kind is dict:
            ok = all(isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
                     for k, v in value.items())
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


def option_fields() -> list[dataclasses.Field]:
    """The fields in declaration order, for building forms and flags."""
    return list(dataclasses.fields(Settings))
