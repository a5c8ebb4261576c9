"""Draw the application icon: a night-sky swirl and a moon on a rounded tile, a brush stroke across.

    .venv/bin/python build_spec/make_icon.py

writes resources/icons/neural_style_studio.{png,ico,icns}. Drawn at 4x and reduced with
Lanczos for smooth edges; no fonts, so the result is the same on every machine.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "neural_style_studio"
SIZE = 256
SCALE = 4
S = SIZE * SCALE

NIGHT_TOP = (27, 45, 110)
NIGHT_BOTTOM = (74, 38, 120)
SWIRL = (120, 170, 235)
MOON = (250, 212, 90)
BRUSH = (236, 120, 60)


def _gradient(size: int, top: tuple, bottom: tuple) -> Image.Image:
    column = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / (size - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return column.resize((size, size))


def _spiral(cx: float, cy: float, r0: float, r1: float, turns: float, start: float) -> list[tuple[float, float]]:
    n = 240
    return [
        (
            cx + (r0 + (r1 - r0) * i / n) * math.cos(start + turns * 2 * math.pi * i / n),
            cy + (r0 + (r1 - r0) * i / n) * math.sin(start + turns * 2 * math.pi * i / n),
        )
        for i in range(n + 1)
    ]


def _stamp(d: ImageDraw.ImageDraw, points, radii, fill) -> None:
    """A smooth thick stroke: discs stamped along the path (line joints at this width show seams)."""
    for (x, y), r in zip(points, radii):
        d.ellipse((x - r, y - r, x + r, y + r), fill=fill)


def _bezier(p0, p1, p2, n: int = 400) -> list[tuple[float, float]]:
    return [
        (
            (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1],
        )
        for t in (i / n for i in range(n + 1))
    ]


def draw() -> Image.Image:
    margin = 10 * SCALE
    tile = Image.new("L", (S, S), 0)
    ImageDraw.Draw(tile).rounded_rectangle((margin, margin, S - margin, S - margin), radius=48 * SCALE, fill=255)

    art = _gradient(S, NIGHT_TOP, NIGHT_BOTTOM).convert("RGBA")
    d = ImageDraw.Draw(art)
    # Van Gogh-like swirls: two spirals and a wave of sky.
    for cx, cy, r1, width in ((0.38, 0.44, 0.21, 5.5), (0.70, 0.66, 0.13, 4.5)):
        path = _spiral(cx * S, cy * S, 0.015 * S, r1 * S, 1.7, 0.3)
        _stamp(d, path, [width * SCALE * (0.5 + 0.5 * i / len(path)) for i in range(len(path))], SWIRL)
    wave = [(x, S * 0.83 + 0.04 * S * math.sin(x / S * 2.2 * math.pi)) for x in range(0, S + 1, SCALE)]
    _stamp(d, wave, [4 * SCALE] * len(wave), SWIRL)
    # Moon with a soft glow.
    glow = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    mx, my, mr = 0.74 * S, 0.28 * S, 0.10 * S
    ImageDraw.Draw(glow).ellipse((mx - 1.7 * mr, my - 1.7 * mr, mx + 1.7 * mr, my + 1.7 * mr), fill=MOON + (110,))
    art.alpha_composite(glow.filter(ImageFilter.GaussianBlur(10 * SCALE)))
    d.ellipse((mx - mr, my - mr, mx + mr, my + mr), fill=MOON)
    # A brush stroke, the "studio" part: a thick tapered band from lower left.
    stroke = _bezier((0.16 * S, 0.86 * S), (0.26 * S, 0.62 * S), (0.56 * S, 0.56 * S))
    n = len(stroke)
    _stamp(d, stroke, [SCALE * (5 + 10 * math.sin(math.pi * (0.15 + 0.8 * i / n))) for i in range(n)], BRUSH)

    icon = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    icon.paste(art, (0, 0), tile)
    return icon.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon = draw()
    icon.save(OUT / f"{NAME}.png", optimize=True)
    icon.save(OUT / f"{NAME}.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    try:
        icon.save(OUT / f"{NAME}.icns", sizes=[(16, 16), (32, 32), (64, 64), (128, 128), (256, 256)])
    except (OSError, KeyError, ValueError) as exc:  # ICNS writing depends on the Pillow build
        print(f"no .icns written: {exc}")
    print(f"wrote {sorted(p.name for p in OUT.glob(NAME + '.*'))} to {OUT}")


if __name__ == "__main__":
    main()
