"""The default look on the shared pairs: one table and one contact sheet.

For each photo/painting pair, rendered with the engine's defaults (whatever
they are when this runs): the clipped fraction (and the photo's own), the
grid measure, the style and content distances (engine/pipeline/metrics.py) and the
time. `--sheet` writes photo | painting | result rows; `--crops DIR` with
`--compare "FLAGS"` writes 200 % crops of a smooth area, the defaults beside
the settings FLAGS (e.g. the previous default,
"quality=custom iterations=300 init=content").

    python bench/look.py --sheet docs/images/look.png
    python bench/look.py --all --save DIR
    python bench/look.py --all --grid docs/images/look_all.jpg --grid-from DIR
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.api import stylize  # noqa: E402
from engine.image.io import load_image, resize_long_side, resize_to, save_image  # noqa: E402
from engine.pipeline.metrics import FeatureMeter, clipped_fraction, grid_energy  # noqa: E402
from engine.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared" / "images"
PHOTOS = ["chelsea.png", "astronaut.png", "coffee.png", "opencv_leuvenA_street.jpg", "plasma_path_summer_forest.jpg"]
PAINTINGS = [
    "van_gogh_starry_night_1889.jpg",
    "hokusai_great_wave_off_kanagawa.png",
    "kandinsky_composition_viii_1923.png",
    "cassatt_summertime_1894.png",
    "van_gogh_cafe_terrace_at_night_1888.png",
]
DEFAULT_PAIRS = [(0, 0), (3, 1), (1, 2), (2, 3), (4, 4), (1, 3)]  # portraits, a street, a landscape, a still life
SMOOTH_AREA = {"chelsea.png": (0.45, 0.55), "opencv_leuvenA_street.jpg": (0.5, 0.08)}  # nose; sky (centre x, y)


def parse_flags(text: str) -> dict:
    """'quality=custom iterations=300' -> Settings changes (numbers parsed)."""
    out = {}
    for part in text.split():
        key, _, value = part.partition("=")
        out[key] = int(value) if value.isdigit() else value
    return out


def render(photo, painting, size: int, changes: dict) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    image = stylize(photo, [painting], Settings(size=size, preview_every=0, **changes)).image
    return image, time.perf_counter() - start


def crop_200(image: np.ndarray, centre: tuple[float, float], side: int = 128) -> Image.Image:
    h, w = image.shape[:2]
    x = int(np.clip(centre[0] * w - side / 2, 0, w - side))
    y = int(np.clip(centre[1] * h - side / 2, 0, h - side))
    tile = Image.fromarray((np.clip(image[y : y + side, x : x + side], 0, 1) * 255 + 0.5).astype(np.uint8))
    return tile.resize((2 * side, 2 * side), Image.NEAREST)


def contact_sheet(rows: list, path: Path, height: int = 200) -> None:
    tiles = []
    for label, images in rows:
        scaled = [resize_to(im, (round(im.shape[1] * height / im.shape[0]), height)) for im in images]
        row = np.concatenate([np.pad(s, ((0, 0), (0, 6), (0, 0)), constant_values=1.0) for s in scaled], axis=1)
        tiles.append((label, row))
    width = max(r.shape[1] for _, r in tiles)
    sheet = Image.new("RGB", (width, len(tiles) * (height + 22)), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (label, row) in enumerate(tiles):
        sheet.paste(Image.fromarray((np.clip(row, 0, 1) * 255 + 0.5).astype(np.uint8)), (0, i * (height + 22) + 20))
        draw.text((4, i * (height + 22) + 4), label, fill="black")
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


def grid_sheet(results: dict, path: Path, cell: int = 180) -> None:
    """Photos down, paintings across, each result a cell; the photos and paintings themselves head the rows
    and columns. A JPEG keeps the 25-pair sheet small enough for the README."""
    rows_i = sorted({i for i, _ in results})
    cols_j = sorted({j for _, j in results})

    def thumb(image: np.ndarray) -> Image.Image:
        tile = Image.fromarray((np.clip(image, 0, 1) * 255 + 0.5).astype(np.uint8))
        tile.thumbnail((cell, cell))
        return tile

    sheet = Image.new("RGB", ((len(cols_j) + 1) * (cell + 4), (len(rows_i) + 1) * (cell + 4)), "white")
    for c, j in enumerate(cols_j, 1):
        sheet.paste(thumb(load_image(SHARED / PAINTINGS[j]).rgb), (c * (cell + 4), 0))
    for r, i in enumerate(rows_i, 1):
        sheet.paste(thumb(load_image(SHARED / PHOTOS[i]).rgb), (0, r * (cell + 4)))
        for c, j in enumerate(cols_j, 1):
            if (i, j) in results:
                sheet.paste(thumb(results[(i, j)]), (c * (cell + 4), r * (cell + 4)))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path, quality=88)


def render_pairs(args, pairs) -> tuple[list, dict]:
    """Render each pair, print its table row, save it and its crops as asked; (sheet rows, results)."""
    changes = parse_flags(args.changes)
    rows, results = [], {}
    print(f"Defaults at {args.size} px{' with ' + args.changes if args.changes else ''}\n")
    print("| photo | painting | clipped (photo's own) | grid (photo's) | style dist. | content dist. | seconds |")
    print("|---|---|---|---|---|---|---|")
    for i, j in pairs:
        photo, painting = (load_image(SHARED / f).rgb for f in (PHOTOS[i], PAINTINGS[j]))
        image, seconds = render(photo, painting, args.size, changes)
        meter = FeatureMeter(photo, painting)
        small = resize_long_side(photo, args.size)
        print(
            f"| {PHOTOS[i]} | {PAINTINGS[j]} | {clipped_fraction(image):.2%} ({clipped_fraction(small):.2%}) | "
            f"{grid_energy(image):.0f} ({grid_energy(small):.0f}) | {meter.style_distance(image):.3f} | "
            f"{meter.content_distance(image):.3f} | {seconds:.0f} |",
            flush=True,
        )
        rows.append((f"{PHOTOS[i]} x {PAINTINGS[j]}", [small, resize_long_side(painting, args.size), image]))
        results[(i, j)] = image
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            save_image(args.save / f"{Path(PHOTOS[i]).stem}_{Path(PAINTINGS[j]).stem}.png", image, overwrite=True)
        if args.crops and PHOTOS[i] in SMOOTH_AREA:
            other, _ = render(photo, painting, args.size, parse_flags(args.compare))
            args.crops.mkdir(parents=True, exist_ok=True)
            pair = Image.new("RGB", (512 + 8, 256), "white")
            pair.paste(crop_200(other, SMOOTH_AREA[PHOTOS[i]]), (0, 0))
            pair.paste(crop_200(image, SMOOTH_AREA[PHOTOS[i]]), (264, 0))
            pair.save(args.crops / f"crop_{Path(PHOTOS[i]).stem}.png")
            save_image(args.crops / f"{Path(PHOTOS[i]).stem}_{Path(PAINTINGS[j]).stem}.png", image, overwrite=True)
    return rows, results


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=512)
    p.add_argument("--all", action="store_true", help="every photo with every painting")
    p.add_argument("--pairs", help="photo:painting indices, e.g. 0:0,3:1")
    p.add_argument("--sheet", type=Path, help="write the contact sheet here")
    p.add_argument("--crops", type=Path, help="write 200%% crops of smooth areas here (with --compare)")
    p.add_argument(
        "--compare",
        default="quality=custom iterations=300 init=content",
        help="settings to put beside the defaults in the crops",
    )
    p.add_argument("--save", type=Path, help="save every result here")
    p.add_argument("--changes", default="", help="settings to render with instead of the defaults")
    p.add_argument("--grid", type=Path, help="write photos x paintings thumbnails here (a .jpg keeps it small)")
    p.add_argument(
        "--grid-from",
        type=Path,
        help="with --grid: build it from the results a --save run left in this folder, rendering nothing",
    )
    args = p.parse_args()
    pairs = (
        [(i, j) for i in range(len(PHOTOS)) for j in range(len(PAINTINGS))]
        if args.all
        else [tuple(map(int, x.split(":"))) for x in args.pairs.split(",")]
        if args.pairs
        else DEFAULT_PAIRS
    )
    if args.grid and args.grid_from:
        grid_sheet(
            {
                (i, j): load_image(args.grid_from / f"{Path(PHOTOS[i]).stem}_{Path(PAINTINGS[j]).stem}.png").rgb
                for i, j in pairs
            },
            args.grid,
        )
        return
    rows, results = render_pairs(args, pairs)
    if args.grid:
        grid_sheet(results, args.grid)
    if args.sheet:
        contact_sheet(rows, args.sheet)
        print(f"\nContact sheet: {args.sheet}")


if __name__ == "__main__":
    main()
