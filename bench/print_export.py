"""Print-size export: the default picture at 512 px refined to a 10 x 15 cm print (1772 px), the old way and the new.

    .venv/bin/python bench/print_export.py --figure docs/images/print_export.png

Renders the approved picture with the default settings (not timed as export),
then exports it the way the window did before (1024 px x 6 then 1772 px x 10
iterations, the painting resized to the output's long side and every style
layer) and the way gui.jobs.export_settings does now, and prints a table:

- seconds of each export;
- dots: RMS of the luminance in the band of periods ~2-8 px (difference of
  Gaussians, sigma 0.7 and 2.5 px) at 1772 px, the scale of the fine bubbles;
- strokes: RMS in the band of periods ~8-30 px (sigma 2.5 and 8 px), where
  the approved picture's strokes land once enlarged 3.5x;
- dots / strokes: how much of the detail is fine dots rather than strokes;
- drift: mean absolute difference (0..1) from the approved picture once the
  export is shrunk back to its size: whether the look stayed.

The Lanczos enlargement of the approved picture is the reference row (no
dots, no new detail). --figure writes the same 500 x 400 crop (an eye), at 100 %, of
each, side by side.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from scipy.ndimage import gaussian_filter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.api import stylize  # noqa: E402
from engine.image.io import load_image, resize_to  # noqa: E402
from engine.pipeline.cores import use_every_core  # noqa: E402
from engine.settings import Settings  # noqa: E402
from gui.jobs import export_settings, export_steps  # noqa: E402
from resources import sample_path  # noqa: E402

OLD_STEPS = [(1024, 6), (1772, 10)]  # gui/jobs.py before the print-size change
CROP = (600, 300, 1100, 700)  # the left eye and the fur beside it, at 1772 px


def old_settings(base: Settings, long_side: int) -> Settings:
    """The export before: the old steps, the painting at its usual scale."""
    new = export_settings(base, long_side, 512, OLD_STEPS)
    return new.replace(style_scale=base.style_scale, style_scales=base.style_scales)


def bands(image: np.ndarray) -> tuple[float, float]:
    """(dots, strokes): RMS of the luminance in the fine and the stroke-sized band."""
    y = image[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    g1, g2, g3 = (gaussian_filter(y, s) for s in (0.7, 2.5, 8.0))
    return float(np.sqrt(np.mean((g1 - g2) ** 2))), float(np.sqrt(np.mean((g2 - g3) ** 2)))


def figure(rows, path: Path) -> None:
    tiles = [
        (name, Image.fromarray((np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)).crop(CROP)) for name, img in rows
    ]
    w, h = tiles[0][1].size
    sheet = Image.new("RGB", (w * len(tiles), h + 24), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (name, tile) in enumerate(tiles):
        sheet.paste(tile, (i * w, 24))
        draw.text((i * w + 8, 6), name, fill="black")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.png")
    sheet.save(tmp)
    tmp.replace(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1772)
    parser.add_argument("--figure", type=Path, help="write the side-by-side crops here (PNG)")
    args = parser.parse_args(argv)
    threads = use_every_core()
    content, style = load_image(sample_path("content")).rgb, load_image(sample_path("style")).rgb
    base = Settings(size=512)
    approved = stylize(content, [style], base).image
    enlarged = resize_to(approved, (args.size, round(args.size * approved.shape[0] / approved.shape[1])))
    rows = [("approved, Lanczos-enlarged", enlarged, 0.0, "-")]
    plans = [  # the new (smaller) one first: the old one's 1772 px pass is the peak of memory
        ("new", export_settings(base, args.size, 512), export_steps(512, args.size)),
        ("old", old_settings(base, args.size), OLD_STEPS),
    ]
    for name, settings, steps in plans:
        gc.collect()
        t = time.perf_counter()
        image = stylize(content, [style], settings, init=approved).image
        rows.append(
            (
                name,
                image,
                time.perf_counter() - t,
                ", ".join(f"{s} px x {n}" for s, n in steps) + f"; style x{settings.style_scale:g}",
            )
        )
        print(f"{name}: {rows[-1][2]:.0f} s", flush=True)
    print(f"\n{threads} threads; export of the default 512 px picture to {args.size} px\n")
    print("| export | passes | seconds | dots | strokes | dots / strokes | drift |")
    print("|---|---|---|---|---|---|---|")
    for name, image, seconds, passes in rows:
        dots, strokes = bands(image)
        drift = np.abs(resize_to(image, approved.shape[1::-1]) - approved).mean()
        print(
            f"| {name} | {passes} | {seconds:.0f} | {dots * 1000:.1f} | {strokes * 1000:.1f} | "
            f"{dots / strokes:.2f} | {drift:.3f} |"
        )
    if args.figure:
        figure([(name, image) for name, image, _, _ in rows], args.figure)
        print(f"\nfigure: {args.figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
