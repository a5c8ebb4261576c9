"""Render the README's figures: one strip (content | style | result) per control.

    python bench/make_figures.py [--size 256] [--iterations 150] [--only NAME,...]

Writes docs/images/<name>.png; every figure uses the shared images.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.api import stylize  # noqa: E402
from engine.image.io import load_image, resize_long_side  # noqa: E402
from engine.network.adain import adain_stylize  # noqa: E402
from engine.pipeline.scale_mix import mix_scales  # noqa: E402
from engine.presets import apply_preset  # noqa: E402
from engine.settings import Settings  # noqa: E402

IMAGES = ROOT.parent / "shared" / "images"
if not IMAGES.is_dir():
    IMAGES = ROOT / "resources" / "samples"
OUT = ROOT / "docs" / "images"


def img(name, size):
    return resize_long_side(load_image(IMAGES / name).rgb, size)


def strip(path, panels, height=200):
    tiles = []
    for label, a in panels:
        im = Image.fromarray((np.clip(a, 0, 1) * 255).astype(np.uint8))
        im = im.resize((max(1, round(im.width * height / im.height)), height), Image.LANCZOS)
        canvas = Image.new("RGB", (im.width, height + 18), "white")
        canvas.paste(im, (0, 18))
        ImageDraw.Draw(canvas).text((4, 3), label, fill="black")
        tiles.append(canvas)
    out = Image.new("RGB", (sum(t.width for t in tiles) + 6 * (len(tiles) - 1), height + 18), "white")
    x = 0
    for t in tiles:
        out.paste(t, (x, 0))
        x += t.width + 6
    out.save(path)


def figures(size, its):
    """(name, make) for each figure; make() renders its panels."""
    cat, starry = img("chelsea.png", size), img("van_gogh_starry_night_1889.jpg", size)
    wave, kandinsky = img("hokusai_great_wave_off_kanagawa.png", size), img("kandinsky_composition_viii_1923.png", size)
    base = Settings(quality="custom", size=size, iterations=its, preview_every=0)
    run = lambda c, s, st, **kw: stylize(c, s, st, **kw).image
    yield from _colour_figures(run, cat, starry, base)
    yield "masks", lambda: _masks(run, cat, starry, wave, base)
    yield "soft_masks", lambda: _soft_masks(run, cat, starry, wave, base)
    yield from _layer_and_scale_figures(run, cat, starry, wave, kandinsky, base, size, its)


def _colour_figures(run, cat, starry, base):
    yield (
        "color_luminance",
        lambda: [
            ("content", cat),
            ("style", starry),
            ("plain", run(cat, [starry], base)),
            ("luminance only", run(cat, [starry], base.replace(color="luminance"))),
        ],
    )
    yield (
        "color_histogram",
        lambda: [
            ("content", cat),
            ("style", starry),
            ("histogram (chol)", run(cat, [starry], base.replace(color="histogram"))),
            ("original colours", run(cat, [starry], base.replace(color="original"))),
        ],
    )


def _masks(run, cat, starry, wave, base):
    h, w = cat.shape[:2]
    label = np.zeros((h, w, 3), np.uint8)
    label[:, : w // 2] = (255, 0, 0)
    label[:, w // 2 :] = (0, 0, 255)
    full = lambda s, c: np.tile(np.array(c, np.uint8), (*s.shape[:2], 1))
    out = run(
        cat,
        [starry, wave],
        base.replace(style_strength=2.5),
        content_mask=label,
        style_masks=[full(starry, (255, 0, 0)), full(wave, (0, 0, 255))],
    )
    return [
        ("content", cat),
        ("mask", label / 255.0),
        ("left style", starry),
        ("right style", wave),
        ("result", out),
    ]


def _soft_masks(run, cat, starry, wave, base):
    h, w = cat.shape[:2]
    x = np.arange(w) / w
    left = np.tile(np.clip((0.75 - x) / 0.5, 0, 1).astype(np.float32), (h, 1))  # a ramp over the middle half
    whole = lambda s, c: ([c], np.ones((1, *s.shape[:2]), np.float32))
    style_masks = [whole(starry, (255, 0, 0)), whole(wave, (0, 0, 255))]
    hard = np.stack([(x < 0.5).astype(np.float32)] * h)
    settings = base.replace(style_strength=2.5)
    out = {
        name: run(
            cat,
            [starry, wave],
            settings,
            content_mask=([(255, 0, 0), (0, 0, 255)], np.stack([m, 1 - m])),
            style_masks=style_masks,
        )
        for name, m in (("hard", hard), ("soft", left))
    }
    return [
        ("hard mask", np.dstack([hard, np.zeros_like(hard), 1 - hard])),
        ("hard edge", out["hard"]),
        ("soft mask", np.dstack([left, np.zeros_like(left), 1 - left])),
        ("soft edge", out["soft"]),
    ]


def _layer_and_scale_figures(run, cat, starry, wave, kandinsky, base, size, its):
    yield (
        "partial",
        lambda: [
            ("content", cat),
            ("style", starry),
            ("all style layers", run(cat, [starry], base)),
            ("partial (N&N)", run(cat, [starry], apply_preset("partial", base))),
        ],
    )
    yield (
        "coarse_to_fine",
        lambda: [
            ("content", cat),
            ("style", starry),
            (f"{2 * size} px direct", run(cat, [starry], base.replace(size=2 * size))),
            (f"{size}->{2 * size} px", run(cat, [starry], base.replace(scales=[size, 2 * size]))),
        ],
    )
    yield (
        "scale_mix",
        lambda: [
            ("coarse: Great Wave", wave),
            ("fine: Kandinsky", kandinsky),
            ("mixed style", mix_scales(wave, kandinsky, base).image),
        ],
    )
    yield (
        "localised",
        lambda: [
            ("content", cat),
            ("style", starry),
            ("global Gram", run(cat, [starry], base)),
            ("localised, window 7", run(cat, [starry], base.replace(local_window=7))),
        ],
    )
    yield (
        "adain",
        lambda: [
            ("content", cat),
            ("style", wave),
            ("AdaIN, one pass", adain_stylize(cat, wave, size=size)),
            (f"AdaIN init + {its // 3} it.", run(cat, [wave], base.replace(init="adain", iterations=its // 3))),
        ],
    )
    yield "texture", lambda: [("style", starry), ("texture synthesis", run(None, [starry], base))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    for name, make in figures(args.size, args.iterations):
        if only and name not in only:
            continue
        t = time.perf_counter()
        strip(OUT / f"{name}.png", make())
        print(f"{name}: {time.perf_counter() - t:.0f} s", flush=True)


if __name__ == "__main__":
    main()
