"""Deep Photo Style Transfer on a photo pair: both stages timed, and the
issue's two measures against a plain Gatys run with the same style.

    python bench/photoreal_bench.py [--size 512] [--iterations 200] [--stage1 100]
        [--content plasma_coldripple_foggy_lake_day.jpg] [--style plasma_eveningglow_lake_sunset.jpg]
        [--figure docs/images/photoreal_lake.png]

Edges: matting-Laplacian energy sum_c V_c^T M V_c of the output, on the
content's Laplacian (lower = closer to a locally affine recolouring).
Colours: L1 distance between the output's and the reference's mean colour.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_figures import IMAGES, strip  # noqa: E402

from engine.api import stylize  # noqa: E402
from engine.image.io import load_image, resize_long_side  # noqa: E402
from engine.losses.matting import MattingLaplacian  # noqa: E402
from engine.presets import apply_preset  # noqa: E402
from engine.settings import Settings  # noqa: E402


def _parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--stage1", type=int, default=100)
    ap.add_argument("--content", default="plasma_coldripple_foggy_lake_day.jpg")
    ap.add_argument("--style", default="plasma_eveningglow_lake_sunset.jpg")
    ap.add_argument("--figure", default="")
    return ap.parse_args()


def _report(args, content, plain_run, real_run, energy, mean_dist, t_lap) -> None:
    """The Markdown table and the two ratios."""
    (plain, t_plain), (real, t1, t_total) = plain_run, real_run
    e_plain, e_real = energy(plain), energy(real)
    h, w = content.shape[:2]
    print(f"{args.content} -> {args.style}, {w}x{h} px, torch threads {torch.get_num_threads()}\n")
    print("| run | iterations | seconds | Laplacian energy | mean-colour distance to the reference |")
    print("|---|---|---|---|---|")
    print(f"| content photo | - | - | {energy(content):.3g} | {mean_dist(content):.3f} |")
    print(
        f"| plain Gatys, same style strength | {args.stage1 + args.iterations} | {t_plain:.0f} | {e_plain:.3g} | "
        f"{mean_dist(plain):.3f} |"
    )
    print(
        f"| photoreal: stage 1 + stage 2 + refine | {args.stage1} + {args.iterations} | {t1:.0f} + "
        f"{t_total - t1:.0f} | {e_real:.3g} | {mean_dist(real):.3f} |"
    )
    print(
        f"\nLaplacian build: {t_lap:.2f} s. Energy ratio photoreal/plain: {e_real / e_plain:.3f} (target <= 0.3). "
        f"Colour distance ratio photoreal/content: {mean_dist(real) / mean_dist(content):.3f} (target <= 0.5)."
    )


def main():
    args = _parse_args()
    content = resize_long_side(load_image(IMAGES / args.content).rgb, args.size)
    style = resize_long_side(load_image(IMAGES / args.style).rgb, args.size)
    settings = apply_preset(
        "photoreal",
        Settings(
            quality="custom", size=args.size, iterations=args.iterations, photoreal_stage1=args.stage1, preview_every=0
        ),
    )
    t = time.perf_counter()
    lap = MattingLaplacian(content)
    t_lap = time.perf_counter() - t
    energy = lambda img: float(lap.energy(torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1)[None]))
    mean_dist = lambda a: float(np.abs(a.reshape(-1, 3).mean(0) - style.reshape(-1, 3).mean(0)).sum())

    t = time.perf_counter()
    plain = stylize(content, [style], settings.replace(photoreal=False, iterations=args.stage1 + args.iterations)).image
    t_plain = time.perf_counter() - t

    stage_start = {}

    def watch(p):
        stage_start.setdefault(p.stage, time.perf_counter())

    t = time.perf_counter()
    real = stylize(content, [style], settings, progress=watch).image
    t_total = time.perf_counter() - t
    t1 = stage_start["stage 2: photoreal"] - t
    _report(args, content, (plain, t_plain), (real, t1, t_total), energy, mean_dist, t_lap)
    if args.figure:
        strip(
            ROOT / args.figure, [("input", content), ("reference", style), ("plain Gatys", plain), ("photoreal", real)]
        )


if __name__ == "__main__":
    main()
