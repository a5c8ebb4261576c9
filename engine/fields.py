"""The options that say what picture a run makes: size and quality, the
balance of the losses, layers, styles, colour, masks, scales and tiles, and
the photoreal mode. engine/settings.py adds how the run computes it (optimiser,
network, device) to make `Settings`, the one place options are defined.

Each field carries its help text, group, label, limits and choice names for
the command line and the window's panels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .validation import MAX_LOCAL_WINDOW, MAX_SEED

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
class PictureFields:
    """What the picture is (the first half of Settings' fields, in their order)."""

    # --- size and iterations -------------------------------------------------
    size: int = _opt(
        512,
        "Long side of the output in pixels.",
        group="Output",
        label="Size (long side, px)",
        level="basic",
        limits=(32, 16384),
    )
    iterations: int = _opt(
        300,
        "Optimisation steps (one L-BFGS step = one iteration) with quality custom; "
        "a command line that gives them chooses custom.",
        group="Output",
        label="Iterations",
        limits=(0, 100000),
    )
    seed: int = _opt(
        0,
        "Random seed; the same seed gives the same picture on the same device.",
        group="Output",
        label="Random seed",
        limits=(0, MAX_SEED),
    )
    quality: str = _opt(
        "normal",
        "Draft, normal or fine: how much work the automatic schedule does (AdaIN start, "
        "quarter, half and full size, each pass ending when the loss settles). custom runs "
        "exactly the iterations and scales given.",
        ("draft", "normal", "fine", "custom"),
        group="Output",
        label="Quality",
        level="basic",
        names={
            "draft": "Draft (fastest)",
            "normal": "Normal",
            "fine": "Fine (slowest)",
            "custom": "Custom (iterations and scales in Advanced)",
        },
    )

    # --- balance ---------------------------------------------------------------
    style_strength: float = _opt(
        1.5,
        "How strongly the style is applied, on a log scale: the style weight is "
        "10**strength times the content weight (alpha/beta = 10**-strength).",
        group="Balance",
        label="Style strength",
        level="basic",
        limits=(-2.0, 8.0),
    )
    content_weight: float = _opt(1.0, "Weight alpha of the content loss.", group="Balance", label="Content weight")
    tv_weight: float = _opt(
        1.0,
        "Total-variation weight: smooths high-frequency noise.",
        group="Balance",
        label="Smoothness (total variation)",
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
        [],
        "Blend weights, one per style image (default: equal).",
        group="Style",
        label="Style blend",
    )
    style_scale: float = _opt(
        1.0,
        "Size of the style images relative to the output's long side.",
        group="Style",
        label="Style scale",
    )

    style_scales: list = _opt(
        [],
        "Per-style-image scale, one per style (overrides style-scale for that image).",
        group="Style",
        label="Scale of each style",
    )
    local_window: int = _opt(
        0,
        "Nikulin & Novak's localised style loss: window in feature pixels for position-wise "
        "correlations (0 = off, the usual global Gram matrices).",
        group="Style",
        zero="off",
        label="Localised style window",
        limits=(0, MAX_LOCAL_WINDOW),
    )

    # --- colour (Gatys et al. 2017) ----------------------------------------------
    color: str = _opt(
        "none",
        "Colour control: none, luminance (transfer on luminance only, keep the photo's colours), "
        "histogram (recolour the style to the photo's colours first) or original (put the "
        "photo's colours back afterwards).",
        ("none", "luminance", "histogram", "original"),
        group="Colour",
        label="Colour",
        level="basic",
        names={
            "none": "Painting's colours",
            "luminance": "Keep photo colours",
            "histogram": "Match the photo's colours",
            "original": "Photo colours afterwards",
        },
    )
    histogram_mode: str = _opt(
        "chol",
        "Square root used by histogram matching.",
        ("chol", "pca", "sym"),
        group="Colour",
        label="Colour matching method",
        names={"chol": "Cholesky", "pca": "Principal axes (PCA)", "sym": "Symmetric square root"},
    )
    match_luminance: bool = _opt(
        True,
        "With luminance-only transfer, match the style's luminance mean and spread to the photo's.",
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
        label="Mask through the layers",
        names={"simple": "Down-sample", "inside": "Only inside the region"},
    )
    mask_method: str = _opt(
        "gram",
        "Guided Gram matrices per region, or the cheaper guided sums.",
        ("gram", "sums"),
        group="Masks",
        label="Mask style loss",
        names={"gram": "Guided Gram matrices", "sums": "Guided sums (faster)"},
    )
    mask_global_weight: float = _opt(
        0.0,
        "Weight of an extra global (unmasked) style term alongside the regions.",
        group="Masks",
        label="Whole-image style weight",
    )
    region_weights: list = _opt(
        [],
        "Weight of each mask region, in colour order (default equal).",
        group="Masks",
        label="Region weights",
    )

    # --- scale ---------------------------------------------------------------------
    scales: list = _opt(
        [],
        "Coarse-to-fine sizes, e.g. 256,512,1024: each pass starts from the up-sampled result of "
        "the one before; the last entry is the output size (overrides size); a command line "
        "that gives them chooses quality custom.",
        group="Scale",
        label="Scales (px)",
    )
    scale_iterations: list = _opt(
        [],
        "Iterations of each coarse-to-fine pass (default: iterations for each).",
        group="Scale",
        label="Iterations per scale",
    )

    tile_size: int = _opt(
        0,
        "Optimise the last pass in overlapping tiles of this many pixels (0: only when the size "
        "does not fit in memory, with the largest tile that fits).",
        group="Scale",
        zero="auto",
        label="Tile size (px)",
        limits=(0, 16384),
    )
    tile_overlap: int = _opt(
        96,
        "Overlap of neighbouring tiles in pixels; the seams are feathered.",
        group="Scale",
        label="Tile overlap (px)",
        limits=(0, 1024),
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
        1e3,
        "Weight lambda of the photorealism term (rescaled from the paper's 1e4).",
        group="Photoreal",
        label="Photorealism weight",
    )
    photoreal_stage1: int = _opt(
        100,
        "Iterations of stage 1 (stage 2 runs `iterations`).",
        group="Photoreal",
        label="Stage 1 iterations",
        limits=(0, 100000),
    )
    refine: bool = _opt(
        True,
        "Photoreal: snap the result to a local affine transform of the photo (guided filter).",
        group="Photoreal",
        label="Snap to the photo's edges",
    )
