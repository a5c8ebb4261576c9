"""The run's stages and sizes: the automatic coarse-to-fine schedule of the quality
presets, or the fixed passes the user spelled out.

The automatic schedule follows Gatys et al. 2017's coarse-to-fine scale
control (METHOD.md section 2): the layout is settled where the network's
receptive fields cover the picture, and each finer pass only adds detail.
It starts from the AdaIN result and stops each pass when the loss stops
falling, so the iteration counts are caps, not fixed amounts; most of the
work happens at the small sizes, where it is cheap.
"""

from __future__ import annotations

import dataclasses

# The smallest pass: relu5_1 still sees a few positions at 96 px.
MIN_PASS_SIZE = 96


@dataclasses.dataclass(frozen=True)
class Pass:
    """One pass of a quality preset, relative to the output's long side."""

    fraction: float  # of the output's long side
    cap: int  # most iterations
    expected: int  # typical iterations before the loss settles (for time estimates)
    window: int  # iterations over which the loss must still fall ...
    tolerance: float  # ... by at least this share, or the pass ends


# Tuned on the shared pairs by looking and with bench/time_to_quality.py
# (README): the half-size pass, where the network's receptive fields cover
# the picture, decides the layout and the strokes and takes most of the
# iterations; a quarter-size pass cost the cat an eye (too few content
# features on it) and saved little; the full-size pass adds the fine texture.
# Its first steps move the most (the upsampled picture lacks the fine
# texture) and push dark and bright areas to the range's edges; the range
# term pulls them back within about five more iterations, so even draft
# keeps 8 there (4 left 3.8% of the cat's pixels clipped, 8 leave 0.03%).
# A 512 px iteration costs four 256 px ones, so "normal" at 512 px is about
# 20 full-size iterations of work (about a minute on a 2-core AVX2 laptop; 60
# and 10 cost 20% more and gave the same picture).
QUALITY: dict[str, tuple[Pass, ...]] = {
    "draft": (Pass(0.5, 22, 22, 10, 0.02), Pass(1.0, 8, 8, 0, 0.0)),
    "normal": (Pass(0.5, 48, 48, 10, 0.01), Pass(1.0, 8, 8, 0, 0.0)),
    "fine": (Pass(0.5, 120, 110, 10, 0.005), Pass(0.75, 20, 20, 0, 0.0), Pass(1.0, 20, 20, 0, 0.0)),
}


@dataclasses.dataclass(frozen=True)
class Stage:
    """One pass of the run's plan: its size, iterations and convergence rule, and
    (after plan_passes) its tiles and L-BFGS memory. The pipeline turns it into
    one frozen optim.Task (targets, masks, start image) for the optimiser."""

    name: str
    size: int  # long side
    iterations: int  # the most iterations (the count, for fixed passes)
    photoreal: bool = False
    expected: int = -1  # typical iterations; -1: all of them
    window: int = 0  # convergence window (0: run every iteration)
    tolerance: float = 0.0
    # Decided by the memory plan (engine.pipeline.tiles.plan_passes) before any work:
    tile: int = 0  # tile side of a tiled pass (0: the whole image at once)
    history: int = 0  # L-BFGS memory of this pass (0: the settings' own)
    index: int = 0  # place in the run, for progress
    count: int = 1

    def __post_init__(self):
        if self.expected < 0:
            object.__setattr__(self, "expected", self.iterations)


def automatic(settings) -> bool:
    """Whether the quality preset decides the passes (not 'custom')."""
    return settings.quality != "custom"


def quality_passes(quality: str, size: int) -> list[Stage]:
    """The automatic passes for an output of `size` px on the long side.
    A pass that would be smaller than MIN_PASS_SIZE is left out and its
    iterations go to the next pass, so a small output still gets the work
    (cheap at that size) and a full pass's convergence rule."""
    stages, carry = [], (0, 0)
    for p in QUALITY[quality]:
        side = size if p.fraction >= 1 else round(size * p.fraction)
        if side < min(MIN_PASS_SIZE, size) or (stages and side <= stages[-1].size):
            carry = (carry[0] + p.cap, carry[1] + p.expected)
            continue
        first = not stages and carry[0]
        window, tolerance = (
            (QUALITY[quality][0].window, QUALITY[quality][0].tolerance) if first else (p.window, p.tolerance)
        )
        stages.append(
            Stage(
                f"{side} px", side, p.cap + carry[0], expected=p.expected + carry[1], window=window, tolerance=tolerance
            )
        )
        carry = (0, 0)
    if len(stages) == 1:
        stages = [dataclasses.replace(stages[0], name="style")]
    return stages


def plan_stages(settings) -> list[Stage]:
    """The passes of a run; in photoreal mode, stage 1 then stage 2 at the last size."""
    if automatic(settings) and not settings.photoreal:
        return quality_passes(settings.quality, settings.size)
    passes = settings.passes
    if not settings.photoreal:
        return [Stage(f"{s} px" if len(passes) > 1 else "style", s, n) for s, n in passes]
    *coarse, (size, n) = passes
    stages = [Stage(f"{s} px", s, k) for s, k in coarse]
    stages.append(Stage("stage 1: style", size, settings.photoreal_stage1))
    stages.append(Stage("stage 2: photoreal", size, n, photoreal=True))
    return stages


def initial_kind(settings, has_content: bool) -> str:
    """settings.init with 'auto' resolved: the AdaIN result for the automatic
    schedule, the photo for fixed passes (as before the schedule existed),
    noise without a photo."""
    if settings.init != "auto":
        return settings.init
    if not has_content:
        return "noise"
    return "adain" if automatic(settings) and not settings.photoreal else "content"


def output_size(content, styles: list, size: int) -> tuple[int, int]:
    """(width, height) of the output: the content's aspect, or the first style's."""
    ref = content if content is not None else styles[0]
    h, w = ref.shape[:2]
    s = size / max(h, w)
    return max(1, round(w * s)), max(1, round(h * s))
